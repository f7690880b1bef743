package org.zooscope.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.zooscope.core.events.StoredPlane;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.PlaneEncoding;

/**
 * The one reader of an upload's pixels: a plane as floats, wherever it lies (a page of the uploaded file or a plane
 * decoded from it) and in whatever encoding it is stored (see {@link UploadedVolume}). One ranged GET per plane.
 * Stateless and thread-safe.
 */
public final class UploadPlanes {
    private UploadPlanes() {
    }

    /** Plane {@code z} of the upload, {@code width × height} floats. */
    public static float[] read(ObjectStore store, UploadedVolume v, int z) {
        return read(store, v.plane(z), v.width() * v.height());
    }

    /** The {@code samples} floats of the plane at {@code p}. */
    public static float[] read(ObjectStore store, StoredPlane p, int samples) {
        PlaneEncoding encoding = new PlaneEncoding(p.encoding());
        int bytes = Math.multiplyExact(samples, encoding.bytesPerSample());
        byte[] raw = new byte[bytes];
        read(store, p.key(), p.offset(), raw, bytes);
        float[] out = new float[samples];
        encoding.decode(raw, 0, out, samples);
        return out;
    }

    /** Bytes {@code [offset, offset + length)} of {@code key} into {@code dst}: one ranged GET. */
    public static void read(ObjectStore store, String key, long offset, byte[] dst, int length) {
        try (InputStream in = store.open(key, offset, length)) {
            int got = in.readNBytes(dst, 0, length);
            if (got != length) {
                throw new IllegalStateException("plane at byte " + offset + " of " + key + " is cut short: " + got
                        + " of " + length + " bytes");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }
}
