package org.zooscope.core.events;

import java.time.Instant;

/** The owner cancelled a job ({@code DELETE /api/v1/jobs/{id}}). */
public record JobCancelRequested(String jobId, Instant requestedAt) {

    /**
     * The S3 object job-stream writes when a job is cancelled, for its own assembly stage (which cannot see the job's
     * state): a final assembly already on its way writes no result. Workers learn of cancellations from the control
     * topic itself.
     */
    public static String markerKey(String jobId) {
        return org.zooscope.core.store.StorageKeys.Jobs.cancelMarker(jobId);
    }
}
