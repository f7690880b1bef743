package org.zooscope.core.modelpkg;

/**
 * The order of a model tensor's four axes. Zooscope computes in {@link #BCYX} (tiles, processing, stitching) and turns
 * tensors into the model's own order only at the model's door, so each op and each tiling step exists once.
 */
public enum TensorLayout {
    /** batch, channel, y, x. */
    BCYX,
    /** batch, y, x, channel (channel-last, as TensorFlow and Keras export). */
    BYXC;

    public int channelAxis() {
        return this == BCYX ? 1 : 3;
    }

    public int yAxis() {
        return this == BCYX ? 2 : 1;
    }

    public int xAxis() {
        return this == BCYX ? 3 : 2;
    }

    /** The shape of a {@code [b, c, h, w]} tensor in this layout. */
    public long[] shape(long b, long c, long h, long w) {
        return this == BCYX ? new long[] {b, c, h, w} : new long[] {b, h, w, c};
    }

    /** {@code [b][c][h][w]} values in this layout's order (the same array for {@link #BCYX}). */
    public float[] fromBcyx(float[] data, int b, int c, int h, int w) {
        return this == BCYX ? data : transpose(data, b, c, h * w, true);
    }

    /** Values in this layout's order, as {@code [b][c][h][w]} (the same array for {@link #BCYX}). */
    public float[] toBcyx(float[] data, int b, int c, int h, int w) {
        return this == BCYX ? data : transpose(data, b, c, h * w, false);
    }

    /** Channel-first to channel-last ({@code toChannelLast}) or back, per batch item. */
    private static float[] transpose(float[] data, int b, int c, int plane, boolean toChannelLast) {
        float[] out = new float[data.length];
        for (int n = 0; n < b; n++) {
            int base = n * c * plane;
            for (int k = 0; k < c; k++) {
                for (int p = 0; p < plane; p++) {
                    int first = base + k * plane + p;
                    int last = base + p * c + k;
                    if (toChannelLast) {
                        out[last] = data[first];
                    } else {
                        out[first] = data[last];
                    }
                }
            }
        }
        return out;
    }

    /** A 4-axis array in this layout, as {@code [b, c, y, x]}; other ranks are returned as they are. */
    public NpyArray toBcyx(NpyArray a) {
        long[] s = a.shape();
        if (this == BCYX || s.length != 4) {
            return a;
        }
        int b = (int) s[0];
        int c = (int) s[3];
        int h = (int) s[1];
        int w = (int) s[2];
        return new NpyArray(new long[] {b, c, h, w}, toBcyx(a.data(), b, c, h, w));
    }

    /** A {@code [b, c, y, x]} array in this layout. */
    public NpyArray fromBcyx(NpyArray a) {
        long[] s = a.shape();
        if (this == BCYX || s.length != 4) {
            return a;
        }
        int b = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        return new NpyArray(shape(b, c, h, w), fromBcyx(a.data(), b, c, h, w));
    }
}
