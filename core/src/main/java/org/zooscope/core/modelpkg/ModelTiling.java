package org.zooscope.core.modelpkg;

import org.zooscope.core.tiling.AxisSize;
import org.zooscope.core.tiling.TileLayout;

/**
 * How a model's input is cut into tiles, from what its description declares: each tile's input is padded up to a size
 * the model accepts on each axis (a fixed size, or {@code min + n * step}), with at least the model's halo of context.
 * One rule for the preview's planner and the upload's test run, so that a model that passes validation also previews.
 * Pure.
 */
public final class ModelTiling {
    /** Core tile side used when nothing else is configured (the preview's default too). */
    public static final int DEFAULT_TILE_SIZE = 512;
    /** Context added around every tile even when a model declares no halo, so tiles stitch without seams. */
    public static final int MIN_HALO = 16;

    private ModelTiling() {
    }

    /**
     * The layout for a {@code width × height} plane: cores of at most {@code tileSize} (less for a small plane or a
     * fixed input), the declared halo but at least {@link #MIN_HALO} (at most a quarter of a fixed input, so the core
     * keeps half of it). For a model whose output is at a coarser scale, tiles and halo are aligned to that scale, so
     * each tile pools the pixels the whole image would pool together and the stitched map is the whole image's.
     *
     * @throws IllegalArgumentException when the declared halo leaves no core inside a fixed input
     */
    public static TileLayout layout(ModelDescription d, int width, int height, int tileSize) {
        AxisSize y = d.inputY();
        AxisSize x = d.inputX();
        int fixed = Math.min(y.largest(), x.largest());
        int align = d.outputScale();
        int halo = roundUp(Math.max(d.halo(), Math.min(MIN_HALO, fixed / 4)), align);
        int core = Math.min(tileSize, Math.max(width, height));
        // aligned cores may grow by up to align - 1 px: a fixed input keeps room for that
        core = Math.min(core, fixed == Integer.MAX_VALUE ? core : fixed - 2 * halo - (align - 1));
        if (core < 1) {
            throw new IllegalArgumentException("it declares a halo of " + d.halo() + " px, which leaves nothing of its fixed "
                    + fixed + " px input");
        }
        return new TileLayout(core, halo, y, x, null, align);
    }

    private static int roundUp(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /**
     * How many tiles one {@code width × height} plane is cut into for this model: the planner's count (its
     * {@link #layout} and grid), so that an estimate counts the tiles a job will run.
     *
     * @throws IllegalArgumentException as {@link #layout}
     */
    public static int tilesPerPlane(ModelDescription d, int width, int height, int tileSize) {
        return layout(d, width, height, tileSize).grid(width, height).tiles().size();
    }

    /**
     * How many tiles a region of a larger plane (a hosted dataset's) takes: the larger plane's own tiles that the
     * region needs ({@link TileLayout#windowOver}), as the planner cuts a dataset job so that a region shows what the
     * full run gives there. The whole plane as the region gives {@link #tilesPerPlane} of it.
     *
     * @throws IllegalArgumentException as {@link #layout}, or when the region is not inside the plane
     */
    public static int tilesInWindow(ModelDescription d, int planeWidth, int planeHeight, int regionX, int regionY,
                                    int regionWidth, int regionHeight, int tileSize) {
        return layout(d, planeWidth, planeHeight, tileSize)
                .windowOver(planeWidth, planeHeight, regionX, regionY, regionWidth, regionHeight)
                .gridOver(regionWidth, regionHeight).tiles().size();
    }
}
