package org.zooscope.gateway.limits;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.zooscope.core.events.JobStatus;

/**
 * The jobs the gateway knows, for quotas and expiry: their statuses come from the compacted status topic (read from
 * its beginning at every start, so nothing here is lost by a restart), what each asked for from its stored request.
 */
public interface JobLedger {

    /** Every job known now. */
    Collection<JobStatus> all();

    /** One owner's jobs. */
    List<JobStatus> ofOwner(String ownerHash);

    /** The work a job asked for: its input region's voxels × its models (0 when its request is not stored). */
    long voxels(String jobId);

    /** The upload a job reads, if it reads one (a dataset job reads none). */
    Optional<String> uploadOf(String jobId);
}
