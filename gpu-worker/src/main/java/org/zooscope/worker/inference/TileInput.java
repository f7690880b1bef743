package org.zooscope.worker.inference;

/**
 * A batch of model inputs, {@code [batch][channels][height][width]} flattened in C order. The array is owned by the
 * caller and read, never kept, by the translator.
 */
public record TileInput(float[] data, int batch, int channels, int height, int width) {
    public TileInput {
        if ((long) batch * channels * height * width != data.length) {
            throw new IllegalArgumentException("tile input of " + data.length + " values does not match shape ["
                    + batch + ", " + channels + ", " + height + ", " + width + "]");
        }
    }
}
