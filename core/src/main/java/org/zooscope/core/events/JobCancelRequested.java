package org.zooscope.core.events;

import java.time.Instant;

/** The owner cancelled a job ({@code DELETE /api/v1/jobs/{id}}). */
public record JobCancelRequested(String jobId, Instant requestedAt) {
}
