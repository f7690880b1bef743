package org.zooscope.worker.inference;

/** A model's output for a batch, {@code [batch][channels][height][width]} flattened in C order. */
public record TileOutput(float[] data, int batch, int channels, int height, int width) {

    /** One channel of one batch item, copied out. */
    public float[] channel(int item, int channel) {
        int plane = height * width;
        float[] out = new float[plane];
        System.arraycopy(data, (item * channels + channel) * plane, out, 0, plane);
        return out;
    }
}
