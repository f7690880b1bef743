package org.zooscope.core.dataset;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A full run's result over a hosted dataset, shown as a layer over it: {@code layer.json} at
 * {@link DatasetKeys#layerRecord}, written by job-stream after every image it names is complete (a layer without it
 * does not exist). Each entry of {@code images} maps a structure to its OME-Zarr pyramid of float32 probabilities
 * 0..1, with the same shape, levels and chunks as the dataset's image.
 *
 * @param structures the structures in the job's order (a structure's colour is its position here, see
 *                   {@link org.zooscope.core.render.StructureColours})
 * @param models     the model ids with versions, e.g. {@code mito-sbem-2d@0.2.0}
 * @param images     structure → the key of its pyramid group (no trailing slash)
 */
public record DatasetLayer(String jobId, String datasetId, List<String> structures, List<String> models,
                           double threshold, Instant createdAt, Map<String, String> images) {

    public DatasetLayer {
        structures = structures == null ? List.of() : List.copyOf(structures);
        models = models == null ? List.of() : List.copyOf(models);
        images = images == null ? Map.of() : Map.copyOf(images);
    }

    /** The structure's position among this layer's structures (its colour), or -1. */
    public int colourIndex(String structure) {
        return structures.indexOf(structure);
    }
}
