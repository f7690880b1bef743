package org.zooscope.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Access to the committed test fixtures under {@code src/test/resources}. */
public final class Fixtures {

    /** Geometry of every stack under {@code io/}: 5 planes of 64 x 48. */
    public static final int W = 64;
    public static final int H = 48;
    public static final int D = 5;

    private Fixtures() {
    }

    public static Path path(String resource) {
        URL url = Fixtures.class.getResource("/" + resource);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + resource);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] bytes(String resource) {
        try {
            return Files.readAllBytes(path(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Little-endian float32 samples. */
    public static float[] floats(String resource) {
        ByteBuffer b = ByteBuffer.wrap(bytes(resource)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    /** Unsigned 8-bit samples as floats. */
    public static float[] u8(String resource) {
        byte[] b = bytes(resource);
        float[] f = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            f[i] = b[i] & 0xFF;
        }
        return f;
    }

    /** Plane {@code z} of a z-major stack of {@code w*h} planes. */
    public static float[] plane(float[] stack, int z, int w, int h) {
        float[] p = new float[w * h];
        System.arraycopy(stack, z * w * h, p, 0, w * h);
        return p;
    }
}
