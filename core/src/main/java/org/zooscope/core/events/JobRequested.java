package org.zooscope.core.events;

import java.time.Instant;
import java.util.List;

/**
 * A user asked for a job. Published by the gateway on {@link Topics#JOBS_REQUESTED}, keyed by job id.
 *
 * @param ownerHash      SHA-256 of the owner's credential: only the owner (or a share link) may see the job
 * @param shareTokenHash SHA-256 of the share link's token; the token itself is shown once, to the owner
 */
public record JobRequested(String jobId, String ownerHash, String shareTokenHash, JobInput input, List<String> models,
                           JobSettings settings, Instant submittedAt) {
}
