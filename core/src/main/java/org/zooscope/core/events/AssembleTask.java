package org.zooscope.core.events;

import java.util.List;

/**
 * Stitch a job's tiles and write its results. One per job, on the assemble topic, keyed by job id.
 *
 * @param models every model of the job with the grid its tiles were cut on and the structure it segments
 * @param displayLow,displayHigh the input range shown in overlays (whole-volume percentiles of the model-ready input)
 */
public record AssembleTask(String jobId, int width, int height, int depth, double threshold, List<ModelTiles> models,
                           String resultsPrefix, String inputPrefix, List<String> modelVersions, double displayLow,
                           double displayHigh) {

    /** Where one model's tiles are and how they were cut. */
    public record ModelTiles(String modelId, String structure, int tileSize, int halo, int step, String tilesPrefix) {
    }
}
