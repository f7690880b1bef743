package org.zooscope.core.tiling;

import java.util.Objects;

/**
 * How a model's tiles are cut, as planned once per job and carried in its tasks, so the worker that runs a tile and
 * the assembly that stitches it rebuild the same {@link TileGrid}: the largest core side, the context halo, and the
 * input sizes the model accepts on y and x (each tile's input is padded up to one of them).
 */
public record TileLayout(int tileSize, int halo, AxisSize y, AxisSize x) {

    public TileLayout {
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(x, "x");
    }

    /** Any size a multiple of {@code step} on both axes. */
    public static TileLayout of(int tileSize, int halo, int step) {
        return new TileLayout(tileSize, halo, AxisSize.multipleOf(step), AxisSize.multipleOf(step));
    }

    /** The grid of a {@code width × height} plane. */
    public TileGrid grid(int width, int height) {
        return TileGrid.cover(width, height, tileSize, halo, y, x);
    }
}
