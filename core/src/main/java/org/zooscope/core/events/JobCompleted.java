package org.zooscope.core.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Public contract: exactly one per job that reaches a final state, on {@link Topics#JOBS_COMPLETED}, keyed by job id.
 *
 * @param results result name → {@code s3://bucket/key}
 * @param stats   figures of the run (slices, tiles, seconds)
 */
public record JobCompleted(String jobId, JobState state, Instant finishedAt, List<String> models,
                           Map<String, String> results, Map<String, Object> stats, String error) {
}
