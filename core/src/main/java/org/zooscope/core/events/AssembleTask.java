package org.zooscope.core.events;

import java.time.Instant;
import java.util.List;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.core.volume.VoxelSize;

/**
 * Write a job's results. Each slice is assembled as soon as its tiles are done ({@link SliceAssembleTask}: stitched
 * planes under {@code stitchedPrefix}, the slice's overlay); this task, one per job on the assemble topic keyed by
 * job id, then writes the stacks from the stitched planes.
 *
 * @param models every model of the job with the grid its tiles were cut on and the structure it segments
 * @param uncertainty whether the tiles carry a variance over test-time-augmentation variants (an uncertainty map)
 * @param stitchedPrefix where the stitched per-slice planes go (intermediate, like the tiles)
 * @param displayLow,displayHigh the input range shown in overlays (whole-volume percentiles of the model-ready input)
 * @param settings what the user chose (for the run record), null in tasks written before it was carried
 * @param voxelSize the input's voxel size (unknown when the upload did not state it), for the OME-Zarr and the
 *                  measurements in physical units
 * @param submittedAt,inferenceStartedAt when the job was submitted and its first tile was sent (for the run record)
 * @param window the dataset box the job read (null for an upload): the input planes are the box's
 */
public record AssembleTask(String jobId, int width, int height, int depth, double threshold, List<ModelTiles> models,
                           String resultsPrefix, boolean uncertainty, String stitchedPrefix, List<String> modelVersions,
                           double displayLow, double displayHigh, JobSettings settings, VoxelSize voxelSize,
                           Instant submittedAt, Instant inferenceStartedAt, InputWindow window) {

    public AssembleTask {
        voxelSize = voxelSize == null ? VoxelSize.unknown() : voxelSize;
    }

    public AssembleTask(String jobId, int width, int height, int depth, double threshold, List<ModelTiles> models,
                        String resultsPrefix, boolean uncertainty, String stitchedPrefix, List<String> modelVersions,
                        double displayLow, double displayHigh, JobSettings settings, VoxelSize voxelSize,
                        Instant submittedAt, Instant inferenceStartedAt) {
        this(jobId, width, height, depth, threshold, models, resultsPrefix, uncertainty, stitchedPrefix, modelVersions,
                displayLow, displayHigh, settings, voxelSize, submittedAt, inferenceStartedAt, null);
    }

    /** A full run over a hosted dataset: its probabilities go into a layer of the dataset. */
    public boolean isFullRun() {
        return window != null && window.fullRun();
    }

    /**
     * How one model's tiles were cut (their keys follow from the job, the model, the slice and the tile).
     *
     * @param plane the plane the tiles cover when the model ran on the input resampled to its pixel size (its stitched
     *              map is resampled back onto the input's grid); null when it ran on the input's own grid
     */
    public record ModelTiles(String modelId, String structure, TileLayout layout,
                             org.zooscope.core.rescale.PlaneSize plane) {

        public ModelTiles(String modelId, String structure, TileLayout layout) {
            this(modelId, structure, layout, null);
        }
    }
}
