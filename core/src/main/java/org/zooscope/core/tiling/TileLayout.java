package org.zooscope.core.tiling;

import java.util.Objects;

/**
 * How a model's tiles are cut, as planned once per job and carried in its tasks, so the worker that runs a tile and
 * the assembly that stitches it rebuild the same {@link TileGrid}: the largest core side, the context halo, the
 * input sizes the model accepts on y and x (each tile's input is padded up to one of them), and the multiple tiles
 * start on ({@code align}: a model with a coarser output pools the same pixels in every tile; 1, or absent in an
 * older task, for any start).
 */
public record TileLayout(int tileSize, int halo, AxisSize y, AxisSize x, Window window, int align) {

    public TileLayout {
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(x, "x");
        align = Math.max(1, align);
    }

    public TileLayout(int tileSize, int halo, AxisSize y, AxisSize x) {
        this(tileSize, halo, y, x, null, 1);
    }

    public TileLayout(int tileSize, int halo, AxisSize y, AxisSize x, Window window) {
        this(tileSize, halo, y, x, window, 1);
    }

    /**
     * Some tiles of the grid of a larger plane ({@code fullWidth × fullHeight}): columns {@code col0 ≤ c < col1}, rows
     * {@code row0 ≤ r < row1} (see {@link TileGrid#window}). {@code originX, originY}: where their box starts in the
     * large plane.
     */
    public record Window(int fullWidth, int fullHeight, int col0, int col1, int row0, int row1, int originX,
                         int originY) {
    }

    /**
     * The tiles of this layout's grid over a {@code fullWidth × fullHeight} plane that a region of it needs: every
     * tile whose core, widened by the blend band, meets the region — so the region stitches to exactly what the
     * whole plane gives there.
     */
    public TileLayout windowOver(int fullWidth, int fullHeight, int regionX, int regionY, int regionWidth,
                                 int regionHeight) {
        TileGrid full = grid(fullWidth, fullHeight);
        int b = full.blend();
        int c0 = full.columns();
        int c1 = 0;
        for (int c = 0; c < full.columns(); c++) {
            if (full.columnStart(c) - b < regionX + regionWidth && full.columnStart(c + 1) + b > regionX) {
                c0 = Math.min(c0, c);
                c1 = c + 1;
            }
        }
        int r0 = full.rows();
        int r1 = 0;
        for (int r = 0; r < full.rows(); r++) {
            if (full.rowStart(r) - b < regionY + regionHeight && full.rowStart(r + 1) + b > regionY) {
                r0 = Math.min(r0, r);
                r1 = r + 1;
            }
        }
        if (c0 >= c1 || r0 >= r1) {
            throw new IllegalArgumentException("the region is not inside the " + fullWidth + " x " + fullHeight + " plane");
        }
        return new TileLayout(tileSize, halo, y, x, new Window(fullWidth, fullHeight, c0, c1, r0, r1,
                full.columnStart(c0), full.rowStart(r0)), align);
    }

    /** Any size a multiple of {@code step} on both axes. */
    public static TileLayout of(int tileSize, int halo, int step) {
        return new TileLayout(tileSize, halo, AxisSize.multipleOf(step), AxisSize.multipleOf(step));
    }

    /**
     * The grid of a {@code width × height} plane; with a {@link Window}, the window's tiles of the larger plane's grid,
     * over the box they cover ({@code width × height} must be that box's).
     */
    public TileGrid grid(int width, int height) {
        if (window == null) {
            return TileGrid.cover(width, height, tileSize, halo, y, x, align);
        }
        TileGrid g = TileGrid.cover(window.fullWidth(), window.fullHeight(), tileSize, halo, y, x, align)
                .window(window.col0(), window.col1(), window.row0(), window.row1());
        if (g.width() != width || g.height() != height) {
            throw new IllegalArgumentException("the window's tiles cover " + g.width() + " x " + g.height() + ", not "
                    + width + " x " + height);
        }
        return g;
    }

    /** The grid this layout cuts: a window's own box, or the given plane. */
    public TileGrid gridOver(int width, int height) {
        if (window == null) {
            return grid(width, height);
        }
        return TileGrid.cover(window.fullWidth(), window.fullHeight(), tileSize, halo, y, x, align)
                .window(window.col0(), window.col1(), window.row0(), window.row1());
    }
}
