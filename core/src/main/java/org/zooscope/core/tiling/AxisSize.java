package org.zooscope.core.tiling;

/**
 * The input sizes a model accepts along one spatial axis, as bioimage.io declares them: {@code min + n * step} for any
 * {@code n >= 0}, or exactly {@code min} when {@code step} is 0 (a fixed size, e.g. an ONNX graph exported at 512).
 *
 * @param min  the smallest size accepted, &ge; 1
 * @param step the increment between accepted sizes; 0 for a fixed size
 */
public record AxisSize(int min, int step) {

    public AxisSize {
        if (min < 1 || step < 0) {
            throw new IllegalArgumentException("an axis size needs min >= 1 and step >= 0 but was min " + min + ", step " + step);
        }
    }

    /** Exactly {@code size}. */
    public static AxisSize fixed(int size) {
        return new AxisSize(size, 0);
    }

    /** Any multiple of {@code step} (e.g. 16 for a U-Net with four poolings); 1 accepts every size. */
    public static AxisSize multipleOf(int step) {
        return new AxisSize(step, step);
    }

    /** Whether the model takes exactly one size on this axis (not named {@code isFixed}: not a JSON property). */
    public boolean fixedSize() {
        return step == 0;
    }

    /** Whether {@code n} is a size the model accepts. */
    public boolean accepts(int n) {
        return step == 0 ? n == min : n >= min && (n - min) % step == 0;
    }

    /** The largest {@code n} a tile may need on this axis: its fixed size, or no bound. */
    public int largest() {
        return step == 0 ? min : Integer.MAX_VALUE;
    }

    /**
     * The smallest accepted size of at least {@code n}: the tile is padded up to it and the padding cropped after.
     *
     * @throws IllegalArgumentException when the size is fixed and smaller than {@code n}
     */
    public int atLeast(int n) {
        if (n <= min) {
            return min;
        }
        if (step == 0) {
            throw new IllegalArgumentException(n + " px do not fit the model's fixed input of " + min + " px");
        }
        return min + (n - min + step - 1) / step * step;
    }

    @Override
    public String toString() {
        return step == 0 ? String.valueOf(min) : min + "+n*" + step;
    }
}
