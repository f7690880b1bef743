package org.zooscope.core.events;

import java.util.List;
import org.zooscope.core.process.VolumeStatistics;
import org.zooscope.core.tiling.TileLayout;

/**
 * Run one model on one tile of one slice. The worker reads the planes named by {@code inputKeys} (one per z-frame, in
 * channel order), rebuilds the tile grid from {@code planeWidth, planeHeight} and {@code layout} (the same grid the
 * planner made), cuts tile {@code tileIndex} with its halo, padded to a size the model accepts, applies the
 * model's declared preprocessing resolved with {@code inputStatistics} (the whole input volume's, never a tile's: the
 * moments and the percentiles the ops need), runs the model and
 * writes the padded output channel {@code outputChannel} to {@code outputKey}. With a {@code window} (a job over a
 * hosted dataset) the grid covers the region and the input planes are the box around it: tiles are cut at the region's
 * offset in the box, their halo real context. The key is deterministic: a task done twice writes the same object.
 */
public record TileTask(String jobId, String modelId, String packageKey, int z, int tileIndex, List<String> inputKeys,
                       int planeWidth, int planeHeight, TileLayout layout, VolumeStatistics inputStatistics,
                       int outputChannel, Augmentation augmentation, String outputKey, int attempt,
                       InputWindow window) {

    public TileTask(String jobId, String modelId, String packageKey, int z, int tileIndex, List<String> inputKeys,
                    int planeWidth, int planeHeight, TileLayout layout, VolumeStatistics inputStatistics, int outputChannel,
                    Augmentation augmentation, String outputKey, int attempt) {
        this(jobId, modelId, packageKey, z, tileIndex, inputKeys, planeWidth, planeHeight, layout, inputStatistics, outputChannel,
                augmentation, outputKey, attempt, null);
    }

    /** Width of the input planes: the dataset box's for a job over a dataset, else the grid's. */
    public int sourceWidth() {
        return window == null ? planeWidth : window.boxWidth();
    }

    public int sourceHeight() {
        return window == null ? planeHeight : window.boxHeight();
    }

    /** Where the grid starts in the input planes: the window's tiles' box (or the region) inside the dataset box. */
    public int gridOffsetX() {
        if (window == null) {
            return 0;
        }
        return (layout.window() != null ? layout.window().originX() : window.roiX()) - window.boxX();
    }

    public int gridOffsetY() {
        if (window == null) {
            return 0;
        }
        return (layout.window() != null ? layout.window().originY() : window.roiY()) - window.boxY();
    }

    /**
     * Where a tile's per-pixel variance over its test-time-augmentation variants goes, beside its probabilities at
     * {@code outputKey}: written by the worker, stitched into the uncertainty map by job-stream.
     */
    public static String varianceKey(String outputKey) {
        return outputKey.endsWith(".f32")
                ? outputKey.substring(0, outputKey.length() - 4) + ".variance.f32"
                : outputKey + ".variance";
    }

    /** Spreads one job's tiles over all partitions, so every worker shares the load. */
    public String partitionKey() {
        return jobId + "/" + modelId + "/" + z + "/" + tileIndex;
    }
}
