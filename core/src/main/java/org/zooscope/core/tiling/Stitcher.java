package org.zooscope.core.tiling;

import java.util.BitSet;
import java.util.Objects;

/**
 * Assembles model outputs of the padded tiles of a {@link TileGrid} back into one plane with weighted blending.
 *
 * <p>Each tile contributes on its core widened by {@link TileGrid#blend()} pixels on every side that faces another
 * tile, with a weight that is the product of two 1-D ramps (linear across the {@code 2 × blend} band). The weights are
 * normalised per column and per row so they sum to exactly one at every pixel: a constant output stitches to the same
 * constant, and where the tiles agree (a model whose receptive field fits in {@code halo - blend}) the stitched plane
 * equals the untiled result exactly. Accumulation is in double precision.
 *
 * <p>Not thread-safe: one stitcher per plane and thread. {@link #add} copies from the given array and keeps no
 * reference to it. {@link #result()} returns a new array; {@link #reset()} makes the stitcher reusable for the next
 * plane without reallocating.
 */
public final class Stitcher {

    private final int width;
    private final int height;
    private final TileGrid grid;
    private final double[] acc;
    private final double[][] wx;
    private final double[][] wy;
    private final BitSet added;

    public Stitcher(int width, int height, TileGrid grid) {
        this.grid = Objects.requireNonNull(grid, "grid");
        if (width != grid.width() || height != grid.height()) {
            throw new IllegalArgumentException("plane " + width + "x" + height + " does not match " + grid);
        }
        this.width = width;
        this.height = height;
        this.acc = new double[width * height];
        this.added = new BitSet(grid.tiles().size());
        int b = grid.blend();
        int cols = grid.columns();
        int rows = grid.rows();
        this.wx = new double[cols][];
        this.wy = new double[rows][];
        double[] sx = new double[width];
        double[] sy = new double[height];
        for (int c = 0; c < cols; c++) {
            Tile t = grid.tiles().get(c);
            wx[c] = ramp(t.x(), t.width(), c > 0, c < cols - 1, b);
            addTo(sx, wx[c], t.x() - (c > 0 ? b : 0));
        }
        for (int r = 0; r < rows; r++) {
            Tile t = grid.tiles().get(r * cols);
            wy[r] = ramp(t.y(), t.height(), r > 0, r < rows - 1, b);
            addTo(sy, wy[r], t.y() - (r > 0 ? b : 0));
        }
        for (int c = 0; c < cols; c++) {
            Tile t = grid.tiles().get(c);
            normalise(wx[c], sx, t.x() - (c > 0 ? b : 0));
        }
        for (int r = 0; r < rows; r++) {
            Tile t = grid.tiles().get(r * cols);
            normalise(wy[r], sy, t.y() - (r > 0 ? b : 0));
        }
    }

    /** 1-D weights over {@code [start - (lo ? b : 0), start + len + (hi ? b : 0))}. */
    private static double[] ramp(int start, int len, boolean lo, boolean hi, int b) {
        int from = start - (lo ? b : 0);
        int to = start + len + (hi ? b : 0);
        double[] w = new double[to - from];
        for (int i = 0; i < w.length; i++) {
            int x = from + i;
            double v = 1;
            if (lo && b > 0) {
                v = Math.min(v, (x - (start - b) + 0.5) / (2.0 * b));
            }
            if (hi && b > 0) {
                v = Math.min(v, ((start + len + b) - x - 0.5) / (2.0 * b));
            }
            w[i] = v;
        }
        return w;
    }

    private static void addTo(double[] sum, double[] w, int from) {
        for (int i = 0; i < w.length; i++) {
            sum[from + i] += w[i];
        }
    }

    private static void normalise(double[] w, double[] sum, int from) {
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum[from + i];
        }
    }

    /**
     * Adds the model output for tile {@code t}: {@code grid.paddedHeight(t) × grid.paddedWidth(t)} samples,
     * row-major, laid out like the input from {@link TileExtractor}.
     *
     * @throws IllegalArgumentException if the tile is not of this grid, was already added, or the array is too short
     */
    public void add(Tile t, float[] paddedOutput) {
        check(t);
        int pw = grid.paddedWidth(t);
        int ph = grid.paddedHeight(t);
        if (paddedOutput.length < pw * ph) {
            throw new IllegalArgumentException("output for " + t + " has " + paddedOutput.length
                    + " samples, expected " + pw * ph);
        }
        TileGrid.Part part = grid.stitchPart(t);
        accumulate(t, paddedOutput, pw, (part.y() - (t.y() - grid.halo())) * pw + part.x() - (t.x() - grid.halo()));
    }

    /**
     * Adds tile {@code t}'s output given as its {@link TileGrid#stitchPart} only (how workers store it): the same sum
     * as {@link #add} of the padded output it was cut from.
     */
    public void addPart(Tile t, float[] part) {
        check(t);
        TileGrid.Part p = grid.stitchPart(t);
        if (part.length != p.samples()) {
            throw new IllegalArgumentException("output part for " + t + " has " + part.length + " samples, expected "
                    + p.width() + "x" + p.height());
        }
        accumulate(t, part, p.width(), 0);
    }

    private void check(Tile t) {
        Objects.requireNonNull(t, "t");
        if (t.index() >= grid.tiles().size() || !grid.tiles().get(t.index()).equals(t)) {
            throw new IllegalArgumentException(t + " is not a tile of " + grid);
        }
        if (added.get(t.index())) {
            throw new IllegalArgumentException(t + " was already added");
        }
    }

    /** Adds the weighted stitch part of {@code t}, read from {@code src} at {@code offset} with row {@code stride}. */
    private void accumulate(Tile t, float[] src, int stride, int offset) {
        int cols = grid.columns();
        int col = t.index() % cols;
        int row = t.index() / cols;
        TileGrid.Part part = grid.stitchPart(t);
        double[] rx = wx[col];
        double[] ry = wy[row];
        for (int j = 0; j < ry.length; j++) {
            double wyj = ry[j];
            int a = (part.y() + j) * width + part.x();
            int s = offset + j * stride;
            for (int i = 0; i < rx.length; i++) {
                acc[a + i] += wyj * rx[i] * src[s + i];
            }
        }
        added.set(t.index());
    }

    /** Whether every tile has been added. */
    public boolean isComplete() {
        return added.cardinality() == grid.tiles().size();
    }

    /**
     * The stitched plane, {@code width × height}, newly allocated.
     *
     * @throws IllegalStateException if some tile has not been added
     */
    public float[] result() {
        float[] out = new float[width * height];
        result(out);
        return out;
    }

    /** Writes the stitched plane into {@code dst[0 .. width*height)}. */
    public void result(float[] dst) {
        if (!isComplete()) {
            throw new IllegalStateException((grid.tiles().size() - added.cardinality()) + " of "
                    + grid.tiles().size() + " tiles have not been added");
        }
        if (dst.length < acc.length) {
            throw new IllegalArgumentException("destination holds " + dst.length + " samples, needs " + acc.length);
        }
        for (int i = 0; i < acc.length; i++) {
            dst[i] = (float) acc[i];
        }
    }

    /** Clears the accumulated plane so the stitcher can take the next plane's tiles. */
    public void reset() {
        java.util.Arrays.fill(acc, 0);
        added.clear();
    }
}
