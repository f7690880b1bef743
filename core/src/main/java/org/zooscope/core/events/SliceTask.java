package org.zooscope.core.events;

/** Preprocess one slice of a job's input: read {@code sourceKey}, write the model-ready plane to {@code targetKey}. */
public record SliceTask(String jobId, int z, String sourceKey, String targetKey, int width, int height,
                        boolean enhance) {
}
