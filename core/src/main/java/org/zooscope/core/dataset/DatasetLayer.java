package org.zooscope.core.dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A full run's result over a hosted dataset, shown as a layer over it: {@code layer.json} at
 * {@link DatasetKeys#layerRecord}, written by job-stream after every image it names is complete (a layer without it
 * does not exist). Per structure an OME-Zarr pyramid of float32 probabilities 0..1 with the dataset's shape, chunks
 * and levels.
 *
 * @param structures    the structures in the job's order (a structure's colour is its position here, see
 *                      {@link org.zooscope.core.render.StructureColours})
 * @param models        the model ids with versions, e.g. {@code mito-sbem-2d@0.2.0}
 * @param images        structure → the key of its probabilities' OME-Zarr image (no trailing slash)
 * @param segmentations structure → the key of its segmentation's OME-Zarr image (8-bit, 255 = at or above
 *                      {@code threshold}; coarser levels by nearest sample)
 */
public record DatasetLayer(String jobId, String datasetId, List<String> structures, List<String> models,
                           double threshold, Instant createdAt, Map<String, String> images,
                           Map<String, String> segmentations) {

    public DatasetLayer {
        structures = structures == null ? List.of() : List.copyOf(structures);
        models = models == null ? List.of() : List.copyOf(models);
        images = images == null ? Map.of() : Map.copyOf(images);
        segmentations = segmentations == null ? Map.of() : Map.copyOf(segmentations);
    }

    /** The structure's position among this layer's structures (its colour), or -1. */
    public int colourIndex(String structure) {
        return structures.indexOf(structure);
    }
}
