package org.zooscope.core.dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A full run's result shown over its dataset ({@link DatasetKeys#layerRecord}, written after its images are complete):
 * per structure an OME-Zarr pyramid of float32 probabilities 0..1 with the dataset's shape, chunks and levels.
 *
 * @param images        structure → the key of its probabilities' OME-Zarr image
 * @param segmentations structure → the key of its segmentation's OME-Zarr image (8-bit, 255 = at or above
 *                      {@code threshold}; coarser levels by nearest sample)
 */
public record DatasetLayer(String jobId, String datasetId, List<String> structures, List<String> models,
                           double threshold, Instant createdAt, Map<String, String> images,
                           Map<String, String> segmentations) {
}
