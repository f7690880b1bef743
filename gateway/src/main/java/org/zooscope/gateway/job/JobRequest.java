package org.zooscope.gateway.job;

import java.util.List;

/**
 * The body of {@code POST /api/v1/jobs}. Missing settings take their defaults: enhance on, no augmentation, threshold
 * 0.5, a deadline derived from the expected runtime, and rescaling on (the input resampled to each model's pixel size
 * where they differ by more than 10 %). {@code voxelSize} states an upload's pixel size for this job (over what its file
 * stated, or where it stated none).
 */
public record JobRequest(Input input, List<String> models, Boolean enhance, String augmentation, Double threshold,
                         Integer deadlineSeconds, Boolean rescale,
                         org.zooscope.gateway.upload.UploadView.VoxelSizeView voxelSize) {

    /** The given models on {@code input}, with {@code enhance} and {@code augmentation}; every other setting its default. */
    public static JobRequest of(Input input, List<String> models, boolean enhance, String augmentation) {
        return new JobRequest(input, models, enhance, augmentation, null, null, null, null);
    }

    /** An upload (preview), some slices of one ({@code roi} with {@code z} and {@code depth}), or a region of a hosted dataset. */
    public record Input(String uploadId, String datasetId, Roi roi) {
    }

    public record Roi(Integer x, Integer y, Integer z, Integer width, Integer height, Integer depth) {
    }
}
