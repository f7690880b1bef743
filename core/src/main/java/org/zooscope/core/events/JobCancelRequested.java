package org.zooscope.core.events;

import java.time.Instant;

/** The owner cancelled a job ({@code DELETE /api/v1/jobs/{id}}). */
public record JobCancelRequested(String jobId, Instant requestedAt) {

    /** The S3 object job-stream writes when a job is cancelled; workers skip the job's remaining tiles when it exists. */
    public static String markerKey(String jobId) {
        return org.zooscope.core.store.StorageKeys.Jobs.cancelMarker(jobId);
    }
}
