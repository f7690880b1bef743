package org.zooscope.core.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.zooscope.core.io.PlaneEncoding;

/**
 * Raw little-endian float32 planes: how intermediate pixels (decoded slices, model-ready planes, tile outputs) are
 * stored between stages; and planes whose key names another encoding (a model-ready plane in its input's own sample
 * type). No header: the event that names the key carries the dimensions.
 */
public final class PlaneCodec {
    private PlaneCodec() {
    }

    public static byte[] encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** The suffix of a float32 plane's key ({@code .f32}); any other suffix names a {@link PlaneEncoding}. */
    public static final String FLOAT32_SUFFIX = "f32";

    /** The encoding a plane's key names by its suffix: {@code .f32}, or a {@link PlaneEncoding} such as {@code .uint8le}. */
    public static PlaneEncoding encodingOf(String key) {
        String suffix = key.substring(key.lastIndexOf('.') + 1);
        return suffix.equals(FLOAT32_SUFFIX) ? PlaneEncoding.FLOAT32_LE : new PlaneEncoding(suffix);
    }

    /** A plane stored under {@code key}, in the encoding its key names. */
    public static byte[] encode(String key, float[] values) {
        PlaneEncoding e = encodingOf(key);
        return e.equals(PlaneEncoding.FLOAT32_LE) ? encode(values) : e.encode(values);
    }

    /** A plane read from {@code key}, decoded by the encoding its key names. */
    public static float[] decode(String key, byte[] bytes, int expectedLength) {
        PlaneEncoding e = encodingOf(key);
        if (e.equals(PlaneEncoding.FLOAT32_LE)) {
            return decode(bytes, expectedLength);
        }
        if (bytes.length != (long) expectedLength * e.bytesPerSample()) {
            throw new IllegalArgumentException("plane " + key + " holds " + bytes.length + " bytes but " + expectedLength
                    + " " + e.name() + " samples (" + (long) expectedLength * e.bytesPerSample() + " bytes) were expected");
        }
        float[] out = new float[expectedLength];
        e.decode(bytes, 0, out, expectedLength);
        return out;
    }

    public static float[] decode(byte[] bytes, int expectedLength) {
        if (bytes.length != expectedLength * Float.BYTES) {
            throw new IllegalArgumentException("plane holds " + bytes.length + " bytes but " + expectedLength
                    + " float32 values (" + expectedLength * Float.BYTES + " bytes) were expected");
        }
        float[] out = new float[expectedLength];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
