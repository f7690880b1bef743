package org.zooscope.core.dataset;

/**
 * Where a hosted dataset lives in the bucket, the one place for these keys: {@code datasets/{id}/} holds the card
 * ({@code dataset.json}, written last: a dataset without it does not exist), the whole-volume statistics
 * ({@code stats.json}), the voxels as an OME-Zarr pyramid ({@code image.zarr/}, level 0 at {@code image.zarr/0}) and
 * the layers full runs add ({@code layers/{jobId}/}: {@code probabilities.ome.zarr/{structure}/} and its
 * {@code layer.json}, written last).
 */
public final class DatasetKeys {

    private DatasetKeys() {
    }

    public static String prefix(String datasetId) {
        return "datasets/" + datasetId + "/";
    }

    public static String card(String datasetId) {
        return prefix(datasetId) + "dataset.json";
    }

    public static String stats(String datasetId) {
        return prefix(datasetId) + "stats.json";
    }

    /** The OME-Zarr group of the voxels (no trailing slash). */
    public static String image(String datasetId) {
        return prefix(datasetId) + "image.zarr";
    }

    public static String layersPrefix(String datasetId) {
        return prefix(datasetId) + "layers/";
    }

    /** A full run's result layer: one OME-Zarr group per structure under it, and {@code layer.json}. */
    public static String layer(String datasetId, String jobId) {
        return layersPrefix(datasetId) + jobId + "/";
    }

    public static String layerRecord(String datasetId, String jobId) {
        return layer(datasetId, jobId) + "layer.json";
    }

    /** The layer's OME-Zarr (one multiscale image per structure), laid out as a preview's result (trailing slash). */
    public static String layerZarr(String datasetId, String jobId) {
        return layer(datasetId, jobId) + "probabilities.ome.zarr/";
    }

    /** The layer's segmentations (8-bit, 255 = at or above the job's threshold), one image per structure. */
    public static String layerSegmentationZarr(String datasetId, String jobId) {
        return layer(datasetId, jobId) + "segmentation.ome.zarr/";
    }

    public static String layerSegmentation(String datasetId, String jobId, String structure) {
        return layerSegmentationZarr(datasetId, jobId) + structure;
    }

    /** A structure's probability pyramid in a layer (no trailing slash). */
    public static String layerImage(String datasetId, String jobId, String structure) {
        return layerZarr(datasetId, jobId) + structure;
    }

    /** Dataset ids are lower-case words joined by dashes: safe in keys, URLs and the index. */
    public static boolean isValidId(String id) {
        return id != null && id.matches("[a-z0-9][a-z0-9-]{0,62}");
    }
}
