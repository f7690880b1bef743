package org.zooscope.core.tiling;

import java.util.Objects;

/**
 * Copies a tile's padded model input (core + halo + step padding) out of a plane, mirror-extending past the plane
 * edges (see {@link Mirror}). Stateless and thread-safe; never keeps references to the arrays it is given.
 */
public final class TileExtractor {

    private TileExtractor() {
    }

    /**
     * The padded input of tile {@code t}, newly allocated: {@code grid.paddedHeight(t) × grid.paddedWidth(t)},
     * row-major.
     */
    public static float[] extract(float[] plane, int width, int height, TileGrid grid, Tile t) {
        float[] dst = new float[grid.paddedWidth(t) * grid.paddedHeight(t)];
        extract(plane, width, height, grid, t, dst, 0);
        return dst;
    }

    /**
     * Writes the padded input of tile {@code t} into {@code dst} starting at {@code offset} (so several z-frames can
     * be stacked as channels of one array).
     */
    public static void extract(float[] plane, int width, int height, TileGrid grid, Tile t, float[] dst,
            int offset) {
        if (width != grid.width() || height != grid.height()) {
            throw new IllegalArgumentException("plane " + width + "x" + height + " does not match grid " + grid);
        }
        extract(plane, width, height, 0, 0, grid, t, dst, offset);
    }

    /**
     * The same for a grid over a window of the plane that starts at {@code (windowX, windowY)}: the halo reads the plane
     * around the window (real context), mirrored only past the plane's own edges.
     */
    public static void extract(float[] plane, int width, int height, int windowX, int windowY, TileGrid grid, Tile t,
            float[] dst, int offset) {
        Objects.requireNonNull(plane, "plane");
        if (plane.length < width * height || windowX < 0 || windowY < 0 || windowX + grid.width() > width
                || windowY + grid.height() > height) {
            throw new IllegalArgumentException("plane " + width + "x" + height + " (" + plane.length
                    + " samples) does not hold grid " + grid + " at " + windowX + "," + windowY);
        }
        int pw = grid.paddedWidth(t);
        int ph = grid.paddedHeight(t);
        if (dst.length < offset + pw * ph) {
            throw new IllegalArgumentException("destination holds " + dst.length + " samples, needs " + (offset
                    + pw * ph));
        }
        int x0 = windowX + t.x() - grid.halo();
        int y0 = windowY + t.y() - grid.halo();
        int inStart = Math.max(0, -x0);
        int inEnd = Math.min(pw, width - x0);
        for (int r = 0; r < ph; r++) {
            int sy = Mirror.index(y0 + r, height);
            int src = sy * width;
            int d = offset + r * pw;
            for (int c = 0; c < inStart; c++) {
                dst[d + c] = plane[src + Mirror.index(x0 + c, width)];
            }
            if (inEnd > inStart) {
                System.arraycopy(plane, src + x0 + inStart, dst, d + inStart, inEnd - inStart);
            }
            for (int c = Math.max(inEnd, inStart); c < pw; c++) {
                dst[d + c] = plane[src + Mirror.index(x0 + c, width)];
            }
        }
    }

    /**
     * Stacks the padded inputs of tile {@code t} from several planes as channels {@code [c][h][w]}, e.g. the z-frames
     * given by {@link ZContext#frames}. Newly allocated.
     */
    public static float[] extractFrames(float[][] planes, int width, int height, TileGrid grid, Tile t) {
        int n = grid.paddedWidth(t) * grid.paddedHeight(t);
        float[] dst = new float[n * planes.length];
        for (int c = 0; c < planes.length; c++) {
            extract(planes[c], width, height, grid, t, dst, c * n);
        }
        return dst;
    }
}
