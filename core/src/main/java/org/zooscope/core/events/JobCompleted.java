package org.zooscope.core.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Public contract: exactly one per job that reaches a final state, on {@link Topics#JOBS_COMPLETED}, keyed by job id.
 * Fields are only ever added (readers ignore the ones they do not know).
 *
 * @param results      result name → {@code s3://bucket/key}
 * @param stats        figures of the run: {@code slices, width, height, tiles, seconds} (submit to end) and, once
 *                     inference began, {@code inferenceSeconds} (first tile task out to end)
 * @param input        what the job ran on: an upload, or a dataset with its region (none: the whole dataset)
 * @param ownerHash    SHA-256 of the owner's credential, as in {@link JobRequested}: who may see the job
 * @param augmentation the test-time augmentation the job ran with
 */
public record JobCompleted(String jobId, JobState state, Instant finishedAt, List<String> models,
                           Map<String, String> results, Map<String, Object> stats, String error, JobInput input,
                           String ownerHash, Augmentation augmentation) {

    /** An event with only the first contract's fields (as published before input, owner and augmentation were). */
    public JobCompleted(String jobId, JobState state, Instant finishedAt, List<String> models,
                        Map<String, String> results, Map<String, Object> stats, String error) {
        this(jobId, state, finishedAt, models, results, stats, error, null, null, null);
    }
}
