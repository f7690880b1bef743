package org.zooscope.core.rescale;

/**
 * The size of a plane a model runs on: the input's own, or the input resampled to the model's pixel size.
 *
 * @param width,height in pixels, at least 1
 */
public record PlaneSize(int width, int height) {

    public PlaneSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a plane must be at least 1 x 1 but was " + width + " x " + height);
        }
    }

    /** {@code width × height} scaled by {@code factor}, each side rounded, at least 1. */
    public static PlaneSize scaled(int width, int height, double factor) {
        return new PlaneSize(Math.max(1, (int) Math.round(width * factor)), Math.max(1, (int) Math.round(height * factor)));
    }

    public long pixels() {
        return (long) width * height;
    }
}
