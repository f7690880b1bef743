package org.zooscope.core.events;

/**
 * Preprocess one slice of a job's input: read the upload's plane at {@code source} (or a hosted dataset's box), write
 * the model-ready float32 plane to {@code targetKey} (enhanced, or the upload's values as floats) and report its
 * statistics. Workers and the assembly read only that plane, so an upload's storage is read in one stage.
 *
 * @param sourceType the upload's sample type (uint8, uint16, int32, float32): enhancement scales by it
 * @param sourceMin,sourceMax the whole upload's value range: the histogram range of unenhanced slices
 * @param dataset        when the job reads a hosted dataset: the box slice to read instead of {@code source}
 * @param resampled      copies of the model-ready plane resampled for models trained at another pixel size, each
 *                       written to its key ({@link org.zooscope.core.store.StorageKeys.Jobs#resampledInput}); empty
 *                       when no model needs one
 */
public record SliceTask(String jobId, int z, StoredPlane source, String targetKey, int width, int height,
                        boolean enhance, String sourceType, double sourceMin, double sourceMax, FromDataset dataset,
                        java.util.List<org.zooscope.core.rescale.PlaneSize> resampled) {

    public SliceTask {
        resampled = resampled == null ? java.util.List.of() : java.util.List.copyOf(resampled);
    }

    public SliceTask(String jobId, int z, StoredPlane source, String targetKey, int width, int height, boolean enhance,
                     String sourceType, double sourceMin, double sourceMax) {
        this(jobId, z, source, targetKey, width, height, enhance, sourceType, sourceMin, sourceMax, null, null);
    }

    public SliceTask(String jobId, int z, StoredPlane source, String targetKey, int width, int height, boolean enhance,
                     String sourceType, double sourceMin, double sourceMax, FromDataset dataset) {
        this(jobId, z, source, targetKey, width, height, enhance, sourceType, sourceMin, sourceMax, dataset, null);
    }

    /**
     * The {@code width × height} box at {@code (x, y)} of the dataset's slice {@code z}, enhanced (when the job asks)
     * with the dataset's own whole-volume parameters, so every region is enhanced alike.
     */
    public record FromDataset(String datasetId, int x, int y, int z,
                              org.zooscope.core.enhance.EnhanceParameters enhancement) {
    }
}
