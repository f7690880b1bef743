package org.zooscope.core.events;

import java.time.Instant;
import java.util.Map;

/**
 * The latest status of a job, as served by {@code GET /api/v1/jobs/{id}} and kept in the compacted
 * {@link Topics#JOBS_STATUS} topic. {@code progress} never goes backwards. {@code results} maps result names to
 * S3 keys in the results bucket. {@code notes} say what was done on the user's behalf (an input rescaled to a model's
 * pixel size, or why it was not), never null.
 */
public record JobStatus(String jobId, JobState state, double progress, String stage, Integer queuePosition,
                        Instant submittedAt, Instant updatedAt, Instant finishedAt, String error,
                        Map<String, String> results, java.util.List<String> models, String ownerHash,
                        String shareTokenHash, Double etaSeconds, java.util.List<String> notes) {

    public JobStatus {
        notes = notes == null ? java.util.List.of() : java.util.List.copyOf(notes);
    }

    public JobStatus(String jobId, JobState state, double progress, String stage, Integer queuePosition,
                     Instant submittedAt, Instant updatedAt, Instant finishedAt, String error,
                     Map<String, String> results, java.util.List<String> models, String ownerHash,
                     String shareTokenHash, Double etaSeconds) {
        this(jobId, state, progress, stage, queuePosition, submittedAt, updatedAt, finishedAt, error, results, models,
                ownerHash, shareTokenHash, etaSeconds, java.util.List.of());
    }
}
