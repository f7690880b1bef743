package org.zooscope.core.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** Work reported back to the job's gather stage, on {@link Topics#JOBS_PROGRESS}, keyed by job id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobProgress.SliceDone.class, name = "slice-done"),
        @JsonSubTypes.Type(value = JobProgress.TileDone.class, name = "tile-done"),
        @JsonSubTypes.Type(value = JobProgress.SliceAssembled.class, name = "slice-assembled"),
        @JsonSubTypes.Type(value = JobProgress.Assembled.class, name = "assembled"),
        @JsonSubTypes.Type(value = JobProgress.TaskFailed.class, name = "task-failed"),
        @JsonSubTypes.Type(value = JobProgress.Admitted.class, name = "admitted"),
        @JsonSubTypes.Type(value = JobProgress.Queued.class, name = "queued")
})
public sealed interface JobProgress {

    String jobId();

    /** A slice is preprocessed; {@code stats} summarise its model-ready values for whole-volume normalisation. */
    record SliceDone(String jobId, int z, SliceStats stats) implements JobProgress {
    }

    /** Slice {@code z} is stitched and its overlay written. */
    record SliceAssembled(String jobId, int z, double seconds) implements JobProgress {
    }

    /** The outputs are written: result name → S3 key. */
    record Assembled(String jobId, java.util.Map<String, String> results, double seconds) implements JobProgress {
    }

    /**
     * A tile's probabilities are in S3 under {@code outputKey}. With test-time augmentation the per-pixel variance
     * over the variants (the same padded layout, float32) is under {@code uncertaintyKey}; it is null when the tile
     * ran as one variant. Events written before the field existed read as null. {@code reused}: the tile's output was
     * already stored (a task delivered again after a restart) and was not inferred again.
     */
    record TileDone(String jobId, String modelId, int z, int tileIndex, String outputKey, double seconds,
                    String uncertaintyKey, boolean reused) implements JobProgress {

        /** A tile done without an uncertainty map. */
        public TileDone(String jobId, String modelId, int z, int tileIndex, String outputKey, double seconds) {
            this(jobId, modelId, z, tileIndex, outputKey, seconds, null, false);
        }

        public TileDone(String jobId, String modelId, int z, int tileIndex, String outputKey, double seconds,
                        String uncertaintyKey) {
            this(jobId, modelId, z, tileIndex, outputKey, seconds, uncertaintyKey, false);
        }
    }

    /** A task failed for good (after retries, or at once when the failure is fatal): the job fails with the reason. */
    record TaskFailed(String jobId, String task, String reason) implements JobProgress {
    }

    /** The job's turn has come: it may start (from the admission queue, {@link Admission}). */
    record Admitted(String jobId) implements JobProgress {
    }

    /** The job waits; {@code position} 1 is the next to start. */
    record Queued(String jobId, int position) implements JobProgress {
    }
}
