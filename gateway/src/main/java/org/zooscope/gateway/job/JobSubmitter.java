package org.zooscope.gateway.job;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.Topics;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.config.GatewayProperties;
import org.zooscope.gateway.limits.Quotas;
import org.zooscope.gateway.security.Caller;
import org.zooscope.gateway.security.Hashes;

/**
 * The one way a job is started: the body checked ({@link JobRequestChecks}), the owner's quotas, the request stored and
 * its event sent. {@code POST /api/v1/jobs} and the recommendations (which run the zoo's models as a job) both go
 * through here, so a recommendation is a job like any other: same checks, quotas, queue and results.
 */
@Component
public class JobSubmitter {
    private final KafkaTemplate<String, byte[]> kafka;
    private final JobStatusCache statuses;
    private final ObjectStore store;
    private final GatewayProperties props;
    private final SecureRandom random;
    private final JobRequestChecks checks;
    private final Quotas quotas;
    private final StoredJobLedger ledger;
    private final Clock clock;

    JobSubmitter(KafkaTemplate<String, byte[]> kafka, JobStatusCache statuses, ObjectStore store, GatewayProperties props,
                 SecureRandom random, JobRequestChecks checks, Quotas quotas, StoredJobLedger ledger, Clock clock) {
        this.kafka = kafka;
        this.statuses = statuses;
        this.store = store;
        this.props = props;
        this.random = random;
        this.checks = checks;
        this.quotas = quotas;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** A job accepted: its id, its share link and the event that was sent. */
    public record Submitted(String id, String shareUrl, JobRequested event) {
    }

    /** Checks the body and starts the job; a bad body or a quota throws the problem that names it. Blocking. */
    public Submitted submit(JobRequest body, Caller caller) throws Exception {
        JobRequestChecks.Checked checked = checks.check(body, caller);
        long voxels = checked.input().region().voxels() * body.models().size();
        JobInput input = checked.input().ofDataset() || body.input().roi() == null
                ? DatasetJobInputs.input(body.input())
                : new JobInput(body.input().uploadId(), null, checked.input().region());
        return quotas.submitJob(caller.ownerHash(), voxels, () -> submit(body, input, caller, checked.settings(), voxels));
    }

    /** The job's latest status, whoever owns it (callers check ownership). */
    public Optional<JobStatus> status(String jobId) {
        return statuses.get(jobId);
    }

    private Submitted submit(JobRequest body, JobInput input, Caller caller, JobSettings settings, long voxels)
            throws Exception {
        String jobId = "j-" + HexFormat.of().formatHex(bytes(12));
        String shareToken = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(24));
        JobRequested event = new JobRequested(jobId, caller.ownerHash(), Hashes.sha256(shareToken),
                input, List.copyOf(body.models()), settings, clock.instant());
        // kept beside the results so the viewer can find the input planes and settings, even after a restart
        store.put(JobRequests.key(jobId), EventJson.toBytes(event), "application/json");
        try {
            kafka.send(Topics.JOBS_REQUESTED.name(), jobId, EventJson.toBytes(event)).get();
        } catch (Exception e) {
            // no job without its event: a stored request nobody will run would hold its upload and quota forever
            store.deletePrefix(JobRequests.key(jobId));
            throw e;
        }
        ledger.record(jobId, voxels, event.input().uploadId());
        // its place in the queue is unknown until job-stream's admission answers
        statuses.update(new JobStatus(jobId, JobState.QUEUED, 0, "queued", null, event.submittedAt(), event.submittedAt(),
                null, null, Map.of(), event.models(), event.ownerHash(), event.shareTokenHash(), null));
        return new Submitted(jobId, props.publicUrl() + "/view/" + jobId + "?token=" + shareToken, event);
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
