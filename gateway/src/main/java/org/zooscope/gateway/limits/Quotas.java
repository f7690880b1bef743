package org.zooscope.gateway.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * Per-owner quotas: jobs in flight, bytes stored, voxels asked for per day. Each refusal is a {@code 429} whose detail
 * names the quota, the use and when it frees, with {@code Retry-After} saying the same in seconds.
 * <p>
 * Where the counts come from: jobs in flight and voxels per day from the {@link JobLedger} (the status topic, re-read
 * at every start, and each job's stored request), so they survive a restart. Bytes stored are recounted from the
 * store's listing by every sweep ({@link Sweeper}) and uploads made since are added as they are made; a job's files
 * count from the sweep after it ended. So after a restart, until the first sweep, only new uploads count.
 */
@Component
public class Quotas {
    static final Duration DAY = Duration.ofDays(1);
    /** When a job in flight has no estimate yet (queued, or too few tiles done): try again after this. */
    static final Duration UNKNOWN_END = Duration.ofSeconds(30);

    /** Something an owner keeps stored: an upload or a job's files, and when it expires (null: not yet known). */
    public record Held(String id, long bytes, Instant expiresAt) {
    }

    private record Added(Held held, Instant at) {
    }

    /** A job submission, run under the owner's quota lock so two at once cannot both take the last place. */
    public interface Submission<T> {
        T run() throws Exception;
    }

    private final LimitsProperties props;
    private final JobLedger jobs;
    private final Clock clock;
    private volatile Map<String, List<Held>> swept = Map.of();
    private final Map<String, Map<String, Added>> addedSinceSweep = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    Quotas(LimitsProperties props, JobLedger jobs, Clock clock) {
        this.props = props;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Runs {@code submit} when the owner is under every quota for a job of {@code voxels}; else throws the 429 of the
     * first quota it is over. A job larger than the whole daily quota can never run: 422.
     */
    public <T> T submitJob(String ownerHash, long voxels, Submission<T> submit) throws Exception {
        if (voxels > props.voxelsPerDay()) {
            throw new ApiProblem(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT, "the job asks for "
                    + count(voxels) + " voxels (its region's voxels × models); the quota of voxels per day is "
                    + count(props.voxelsPerDay()) + ": choose a smaller region or fewer models");
        }
        synchronized (locks.computeIfAbsent(ownerHash, k -> new Object())) {
            checkRunning(ownerHash);
            checkVoxels(ownerHash, voxels);
            checkStored(ownerHash, 0);
            return submit.run();
        }
    }

    /** Before an upload of (about) {@code bytes}: 429 when it would take the owner over the stored-bytes quota. */
    public void checkUpload(String ownerHash, long bytes) {
        checkStored(ownerHash, Math.max(0, bytes));
    }

    /** An upload was stored: it counts at once, not only from the next sweep. */
    public void uploaded(String ownerHash, String uploadId, long bytes, Instant expiresAt) {
        addedSinceSweep.computeIfAbsent(ownerHash, k -> new ConcurrentHashMap<>())
                .put(uploadId, new Added(new Held(uploadId, bytes, expiresAt), clock.instant()));
    }

    /** A sweep's count, begun at {@code startedAt}: replaces the last one; what was added since it began stays. */
    void swept(Map<String, List<Held>> byOwner, Instant startedAt) {
        swept = Map.copyOf(byOwner);
        addedSinceSweep.values().forEach(m -> m.values().removeIf(a -> a.at().isBefore(startedAt)));
    }

    /** What the owner keeps stored, as far as known now. */
    public List<Held> stored(String ownerHash) {
        List<Held> all = new ArrayList<>(swept.getOrDefault(ownerHash, List.of()));
        Map<String, Added> recent = addedSinceSweep.getOrDefault(ownerHash, Map.of());
        all.removeIf(h -> recent.containsKey(h.id()));
        recent.values().forEach(a -> all.add(a.held()));
        return all;
    }

    private void checkRunning(String ownerHash) {
        List<JobStatus> inFlight = jobs.ofOwner(ownerHash).stream().filter(s -> !s.state().isFinal()).toList();
        if (inFlight.size() < props.runningJobs()) {
            return;
        }
        Duration wait = inFlight.stream().filter(s -> s.state() == JobState.RUNNING && s.etaSeconds() != null)
                .map(s -> Duration.ofMillis((long) Math.ceil(s.etaSeconds() * 1000))).min(Comparator.naturalOrder())
                .orElse(null);
        throw ApiProblem.tooManyRequests("quota of running jobs: you have " + inFlight.size()
                + " jobs queued or running and at most " + props.runningJobs() + " may be in flight at once; a place frees"
                + " when one of them ends" + (wait == null ? " (no estimate yet: try again in "
                + UNKNOWN_END.toSeconds() + " s)" : ", estimated in " + seconds(wait) + " s"),
                wait == null ? UNKNOWN_END : wait);
    }

    private void checkVoxels(String ownerHash, long voxels) {
        Instant now = clock.instant();
        Instant since = now.minus(DAY);
        record Asked(Instant at, long voxels) {
        }
        List<Asked> today = jobs.ofOwner(ownerHash).stream().filter(s -> s.submittedAt() != null
                        && s.submittedAt().isAfter(since)).map(s -> new Asked(s.submittedAt(), jobs.voxels(s.jobId())))
                .sorted(Comparator.comparing(Asked::at)).toList();
        long used = today.stream().mapToLong(Asked::voxels).sum();
        if (used + voxels <= props.voxelsPerDay()) {
            return;
        }
        // the earliest time enough of today's jobs have left the 24-hour window for this one to fit
        long mustFree = used + voxels - props.voxelsPerDay();
        Instant frees = now.plus(DAY);
        for (Asked a : today) {
            mustFree -= a.voxels();
            if (mustFree <= 0) {
                frees = a.at().plus(DAY);
                break;
            }
        }
        Duration wait = Duration.between(now, frees);
        throw ApiProblem.tooManyRequests("quota of voxels per day: your jobs of the last 24 hours asked for "
                + count(used) + " voxels and this one asks for " + count(voxels) + " (its region's voxels × models), over the "
                + count(props.voxelsPerDay()) + " allowed; enough frees at " + frees + " (in " + seconds(wait) + " s)", wait);
    }

    private void checkStored(String ownerHash, long more) {
        List<Held> held = stored(ownerHash);
        long used = held.stream().mapToLong(Held::bytes).sum();
        long limit = props.storedBytes().toBytes();
        if (used + more <= limit && used < limit) {
            return;
        }
        if (more > limit) {
            // waiting frees nothing that would make room: no Retry-After, as for a job over the daily voxels
            throw new ApiProblem(org.springframework.http.HttpStatus.PAYLOAD_TOO_LARGE, "the upload of " + bytes(more)
                    + " is larger than the whole quota of bytes stored (" + bytes(limit) + ")");
        }
        Instant now = clock.instant();
        long mustFree = used + more - limit + (more == 0 ? 1 : 0);
        Instant frees = null;
        for (Held h : held.stream().filter(h -> h.expiresAt() != null).sorted(Comparator.comparing(Held::expiresAt)).toList()) {
            mustFree -= h.bytes();
            if (mustFree <= 0) {
                frees = h.expiresAt();
                break;
            }
        }
        // what expires is deleted by the next sweep after it expired
        Duration wait = frees == null ? props.retention() : Duration.between(now, frees).plus(props.sweepEvery());
        if (wait.isNegative()) {
            wait = props.sweepEvery();
        }
        throw ApiProblem.tooManyRequests("quota of bytes stored: your uploads and results take " + bytes(used)
                + (more > 0 ? " and this upload is " + bytes(more) : "") + ", over the " + bytes(limit) + " allowed; "
                + (frees == null ? "space frees as your uploads and results expire (kept " + human(props.retention()) + ")"
                : "enough frees when your oldest expire, at " + at(frees)) + " (in about " + seconds(wait) + " s)", wait);
    }

    /** An instant to the second, as a detail shows it. */
    static java.time.Instant at(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    static String bytes(long n) {
        return n < (1L << 20) ? count(n) + " bytes" : String.format(java.util.Locale.ROOT, "%.1f MiB", n / 1048576.0);
    }

    static long seconds(Duration d) {
        return ApiProblem.retryAfterSeconds(d);
    }

    /** A retention as people say it: "7 days", "2 hours", "90 s". */
    static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() == 1 ? "1 day" : d.toDays() + " days";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() == 1 ? "1 hour" : d.toHours() + " hours";
        }
        return d.toSeconds() + " s";
    }
}
