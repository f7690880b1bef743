package org.zooscope.core.tiling;

import java.util.ArrayList;
import java.util.List;

/**
 * A cover of a {@code width × height} plane by tiles for a model that needs context. Each tile has a <em>core</em>
 * (the {@link Tile} region; cores do not overlap and together cover the plane), a <em>halo</em> of context pixels
 * on every side, and extra pixels on the right/bottom so that the model input is a size the model accepts on that
 * axis ({@link AxisSize}: a fixed size, or {@code min + n * step}); the extra is real image where there is some and
 * mirrored past the edge, and is cropped again when stitching. The model input for a tile,
 * {@link #paddedWidth(Tile)} × {@link #paddedHeight(Tile)}, starts at {@code (x - halo, y - halo)}; where it reaches
 * past the plane it is filled by {@link Mirror mirroring}.
 *
 * <p>Cores are balanced: the plane is split into {@code ceil(width / tileSize)} columns whose widths differ by at
 * most one (likewise for rows), so no sliver tiles are produced. A plane smaller than {@code tileSize} is one tile.
 *
 * <p>Blending: the {@link Stitcher} uses each tile's output on its core widened by {@link #blend()} pixels on sides
 * that face another tile, with linear weights across the {@code 2 × blend} band. Output stays exact (equal to an
 * untiled run with the same mirror padding) for a model whose receptive-field radius is at most
 * {@code halo - blend}. Default {@code blend = halo / 2}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TileGrid {

    private final int width;
    private final int height;
    private final int tileSize;
    private final int halo;
    private final AxisSize sizeY;
    private final AxisSize sizeX;
    private final int blend;
    private final int align;
    private final int[] colStarts;
    private final int[] rowStarts;
    private final List<Tile> tiles;

    private TileGrid(int width, int height, int tileSize, int halo, AxisSize sizeY, AxisSize sizeX, int blend,
                     int align) {
        this(width, height, tileSize, halo, sizeY, sizeX, blend, align, split(width, Math.max(1, tileSize), align),
                split(height, Math.max(1, tileSize), align));
    }

    private TileGrid(int width, int height, int tileSize, int halo, AxisSize sizeY, AxisSize sizeX, int blend,
                     int align, int[] colStarts, int[] rowStarts) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("plane must be at least 1x1 but was " + width + "x" + height);
        }
        if (tileSize < 1) {
            throw new IllegalArgumentException("tileSize must be >= 1 but was " + tileSize);
        }
        if (halo < 0) {
            throw new IllegalArgumentException("halo must be >= 0 but was " + halo);
        }
        if (sizeY == null || sizeX == null) {
            throw new IllegalArgumentException("the accepted input sizes of both axes are needed");
        }
        if (blend < 0 || blend > halo) {
            throw new IllegalArgumentException("blend must be in 0.." + halo + " but was " + blend);
        }
        if (align < 1 || halo % align != 0) {
            throw new IllegalArgumentException("tiles aligned to " + align + " px need a halo that is a multiple of it but "
                    + "it was " + halo);
        }
        this.width = width;
        this.height = height;
        this.tileSize = tileSize;
        this.halo = halo;
        this.sizeY = sizeY;
        this.sizeX = sizeX;
        this.blend = blend;
        this.align = align;
        this.colStarts = colStarts;
        this.rowStarts = rowStarts;
        fits(colStarts, sizeX, "x");
        fits(rowStarts, sizeY, "y");
        List<Tile> t = new ArrayList<>();
        for (int r = 0; r < rowStarts.length - 1; r++) {
            for (int c = 0; c < colStarts.length - 1; c++) {
                t.add(new Tile(t.size(), colStarts[c], rowStarts[r], colStarts[c + 1] - colStarts[c],
                        rowStarts[r + 1] - rowStarts[r]));
            }
        }
        this.tiles = List.copyOf(t);
    }

    /** Tiles of at most {@code tileSize} core plus {@code halo} on each side; any size, blend {@code halo / 2}. */
    public static TileGrid cover(int width, int height, int tileSize, int halo) {
        return cover(width, height, tileSize, halo, 1);
    }

    /**
     * As {@link #cover(int, int, int, int)}, with the padded model input rounded up to a multiple of {@code step}
     * (e.g. 16 for a U-Net with four poolings); the extra goes on the right and bottom, filled by mirroring.
     */
    public static TileGrid cover(int width, int height, int tileSize, int halo, int step) {
        return cover(width, height, tileSize, halo, step, halo / 2);
    }

    /** Full control: {@code blend} in {@code 0..halo} (0 = plain overlap-tile, cores only). */
    public static TileGrid cover(int width, int height, int tileSize, int halo, int step, int blend) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1 but was " + step);
        }
        return new TileGrid(width, height, tileSize, halo, AxisSize.multipleOf(step), AxisSize.multipleOf(step), blend, 1);
    }

    /**
     * Tiles whose model input is padded up to a size the model accepts on each axis (the model's declared input
     * sizes); blend {@code halo / 2}.
     *
     * @throws IllegalArgumentException when a core plus its halo is larger than a fixed size
     */
    public static TileGrid cover(int width, int height, int tileSize, int halo, AxisSize sizeY, AxisSize sizeX) {
        return cover(width, height, tileSize, halo, sizeY, sizeX, 1);
    }

    /**
     * As {@link #cover(int, int, int, int, AxisSize, AxisSize)}, with every core and every padded input starting on a
     * multiple of {@code align} px (the halo must be one): a model whose output is at {@code align} times coarser a
     * scale then pools the same pixels together in every tile as on the whole plane. Cores are balanced to within
     * {@code align} px, so they may exceed {@code tileSize} by up to {@code align - 1}.
     */
    public static TileGrid cover(int width, int height, int tileSize, int halo, AxisSize sizeY, AxisSize sizeX,
                                 int align) {
        return new TileGrid(width, height, tileSize, halo, sizeY, sizeX, halo / 2, align);
    }

    /**
     * The tiles of columns {@code col0 ≤ c < col1} and rows {@code row0 ≤ r < row1} of this grid, as a grid of its
     * own over the box their cores cover (coordinates relative to that box, which starts at {@link #columnStart(int)
     * columnStart(col0)}, {@link #rowStart(int) rowStart(row0)}): each tile has the same core, halo and padded input
     * as here, so its output is the same. A region of a large plane cut this way stitches to exactly what the whole
     * plane gives there, as long as no pixel of the region is within {@link #blend()} of the window's outer seams.
     */
    public TileGrid window(int col0, int col1, int row0, int row1) {
        if (col0 < 0 || col1 > columns() || col0 >= col1 || row0 < 0 || row1 > rows() || row0 >= row1) {
            throw new IllegalArgumentException("window columns " + col0 + ".." + col1 + ", rows " + row0 + ".." + row1
                    + " is not inside " + this);
        }
        int[] cs = new int[col1 - col0 + 1];
        int[] rs = new int[row1 - row0 + 1];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = colStarts[col0 + i] - colStarts[col0];
        }
        for (int i = 0; i < rs.length; i++) {
            rs[i] = rowStarts[row0 + i] - rowStarts[row0];
        }
        return new TileGrid(cs[cs.length - 1], rs[rs.length - 1], tileSize, halo, sizeY, sizeX, blend, align, cs, rs);
    }

    /** Left edge of column {@code c}'s cores ({@code c == columns()}: the plane's width). */
    public int columnStart(int c) {
        return colStarts[c];
    }

    /** Top edge of row {@code r}'s cores. */
    public int rowStart(int r) {
        return rowStarts[r];
    }

    private void fits(int[] starts, AxisSize size, String axis) {
        int widest = 0;
        for (int i = 0; i + 1 < starts.length; i++) {
            widest = Math.max(widest, starts[i + 1] - starts[i]);
        }
        if (widest + 2 * halo > size.largest()) {
            throw new IllegalArgumentException("tiles of " + widest + " px plus a halo of " + halo + " on " + axis
                    + " do not fit the model's fixed input of " + size.min() + " px");
        }
    }

    private static int[] split(int n, int tile, int align) {
        if (n < 1) {
            return new int[] {0, 0}; // refused by the constructor, which says why
        }
        int count = (n + tile - 1) / tile;
        int[] starts = new int[count + 1];
        for (int i = 1; i <= count; i++) {
            int balanced = (int) ((long) n * i / count);
            // inner starts go down to a multiple of align; a core never empties (only tiles narrower than align could)
            starts[i] = i == count ? n : Math.max(starts[i - 1] + 1, balanced / Math.max(1, align) * Math.max(1, align));
        }
        return starts;
    }

    /** All tiles, row-major; {@code tiles().get(i).index() == i}. */
    public List<Tile> tiles() {
        return tiles;
    }

    /** Context pixels on each side of a core. */
    public int halo() {
        return halo;
    }

    /** The input sizes the model accepts on y: padded heights are the smallest of them that holds core and halo. */
    public AxisSize sizeY() {
        return sizeY;
    }

    /** The input sizes the model accepts on x. */
    public AxisSize sizeX() {
        return sizeX;
    }

    /** Cores and padded inputs start on multiples of this many px (1: anywhere). */
    public int align() {
        return align;
    }

    /** Half-width of the blending band around interior core edges. */
    public int blend() {
        return blend;
    }

    /** Largest core side requested. */
    public int tileSize() {
        return tileSize;
    }

    /** Plane width covered. */
    public int width() {
        return width;
    }

    /** Plane height covered. */
    public int height() {
        return height;
    }

    /** Number of tile columns. */
    public int columns() {
        return colStarts.length - 1;
    }

    /** Number of tile rows. */
    public int rows() {
        return rowStarts.length - 1;
    }

    /** Width of the model input for {@code t}: the smallest size accepted on x of at least {@code t.width() + 2 * halo}. */
    public int paddedWidth(Tile t) {
        return sizeX.atLeast(t.width() + 2 * halo);
    }

    /** Height of the model input for {@code t}: the smallest size accepted on y of at least {@code t.height() + 2 * halo}. */
    public int paddedHeight(Tile t) {
        return sizeY.atLeast(t.height() + 2 * halo);
    }

    /**
     * The part of a tile's output that stitching uses, in plane coordinates: its core widened by {@link #blend()} on
     * each side that faces another tile. The rest of the padded output is halo, which no stitch reads, so a tile's
     * output is stored as this part only ({@link #stitchPart}).
     */
    public record Part(int x, int y, int width, int height) {
        public int samples() {
            return width * height;
        }
    }

    /** The part of tile {@code t}'s output that {@link Stitcher} uses. */
    public Part stitchPart(Tile t) {
        int col = t.index() % columns();
        int row = t.index() / columns();
        int x0 = t.x() - (col > 0 ? blend : 0);
        int y0 = t.y() - (row > 0 ? blend : 0);
        int x1 = t.x() + t.width() + (col < columns() - 1 ? blend : 0);
        int y1 = t.y() + t.height() + (row < rows() - 1 ? blend : 0);
        return new Part(x0, y0, x1 - x0, y1 - y0);
    }

    /** Tile {@code t}'s {@link #stitchPart} cut out of its padded output ({@code paddedHeight × paddedWidth}, row-major). */
    public float[] stitchPart(Tile t, float[] paddedOutput) {
        Part part = stitchPart(t);
        int pw = paddedWidth(t);
        if (paddedOutput.length < pw * paddedHeight(t)) {
            throw new IllegalArgumentException("output for " + t + " has " + paddedOutput.length + " samples, expected "
                    + pw * paddedHeight(t));
        }
        float[] out = new float[part.samples()];
        int ox = part.x() - (t.x() - halo);
        int oy = part.y() - (t.y() - halo);
        for (int j = 0; j < part.height(); j++) {
            System.arraycopy(paddedOutput, (oy + j) * pw + ox, out, j * part.width(), part.width());
        }
        return out;
    }

    /** Largest padded width over all tiles (useful to size reusable buffers). */
    public int maxPaddedWidth() {
        int m = 0;
        for (Tile t : tiles) {
            m = Math.max(m, paddedWidth(t));
        }
        return m;
    }

    /** Largest padded height over all tiles. */
    public int maxPaddedHeight() {
        int m = 0;
        for (Tile t : tiles) {
            m = Math.max(m, paddedHeight(t));
        }
        return m;
    }

    @Override
    public String toString() {
        return "TileGrid[" + width + "x" + height + ", " + columns() + "x" + rows() + " tiles of <=" + tileSize
                + ", halo " + halo + ", input y " + sizeY + " x " + sizeX + ", blend " + blend + "]";
    }
}
