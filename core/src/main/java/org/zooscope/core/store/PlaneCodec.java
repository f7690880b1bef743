package org.zooscope.core.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Raw little-endian float32 planes: how intermediate pixels (decoded slices, model-ready planes, tile outputs) are
 * stored between stages. No header: the event that names the key carries the dimensions.
 */
public final class PlaneCodec {
    private PlaneCodec() {
    }

    public static byte[] encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
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
