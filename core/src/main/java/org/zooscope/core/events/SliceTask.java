package org.zooscope.core.events;

/**
 * Preprocess one slice of a job's input: read {@code sourceKey}, write the model-ready plane to {@code targetKey}
 * (equal to {@code sourceKey} when the plane is used as uploaded: then only its statistics are computed).
 *
 * @param sourceType the upload's sample type (uint8, uint16, int32, float32): enhancement scales by it
 * @param sourceMin,sourceMax the whole upload's value range: the histogram range of unenhanced slices
 */
public record SliceTask(String jobId, int z, String sourceKey, String targetKey, int width, int height,
                        boolean enhance, String sourceType, double sourceMin, double sourceMax) {
}
