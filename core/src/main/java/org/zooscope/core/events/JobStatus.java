package org.zooscope.core.events;

import java.time.Instant;
import java.util.Map;

/**
 * The latest status of a job, as served by {@code GET /api/v1/jobs/{id}} and kept in the compacted
 * {@link Topics#JOBS_STATUS} topic. {@code progress} never goes backwards. {@code results} maps result names to
 * S3 keys in the results bucket.
 */
public record JobStatus(String jobId, JobState state, double progress, String stage, Integer queuePosition,
                        Instant submittedAt, Instant updatedAt, Instant finishedAt, String error,
                        Map<String, String> results, java.util.List<String> models, String ownerHash,
                        String shareTokenHash, Double etaSeconds) {
}
