package org.zooscope.core.events;

import java.util.List;
import org.zooscope.core.tiling.TileLayout;

/**
 * Write a job's results. Each slice is assembled as soon as its tiles are done ({@link SliceAssembleTask}: stitched
 * planes under {@code stitchedPrefix}, the slice's overlay); this task, one per job on the assemble topic keyed by
 * job id, then writes the stacks from the stitched planes.
 *
 * @param models every model of the job with the grid its tiles were cut on and the structure it segments
 * @param uncertainty whether the tiles carry a variance over test-time-augmentation variants (an uncertainty map)
 * @param stitchedPrefix where the stitched per-slice planes go (intermediate, like the tiles)
 * @param displayLow,displayHigh the input range shown in overlays (whole-volume percentiles of the model-ready input)
 */
public record AssembleTask(String jobId, int width, int height, int depth, double threshold, List<ModelTiles> models,
                           String resultsPrefix, boolean uncertainty, String stitchedPrefix, List<String> modelVersions,
                           double displayLow, double displayHigh) {

    /** How one model's tiles were cut (their keys follow from the job, the model, the slice and the tile). */
    public record ModelTiles(String modelId, String structure, TileLayout layout) {
    }
}
