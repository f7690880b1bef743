package org.zooscope.gateway.limits;

import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.StorageKeys;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Every {@code sweepEvery}: deletes the data of expired uploads and job results from the store, and recounts each
 * owner's stored bytes for {@link Quotas}. What expired keeps its small description ({@code uploads/{id}/volume.json},
 * {@code jobs/{id}/request.json}), so the API can still say it expired ({@code 410}) and when. An upload a live job
 * reads (for its viewer) is kept until that job's results expire. Hosted datasets, their layers and models are never
 * swept.
 */
@Component
public class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    private static final String UPLOADS = StorageKeys.Uploads.ROOT;
    private static final String JOBS = StorageKeys.Jobs.ROOT;
    private static final String UPLOAD_KEPT = StorageKeys.Uploads.VOLUME;
    private static final String JOB_KEPT = StorageKeys.Jobs.REQUEST;

    /** What one sweep did. */
    public record Result(int uploadsExpired, int jobsExpired, long bytesDeleted) {
    }

    private record UploadMeta(String ownerHash, Instant expiresAt) {
    }

    private final ObjectStore store;
    private final JobLedger jobs;
    private final Expiry expiry;
    private final Quotas quotas;
    private final LimitsProperties props;
    private final Clock clock;
    // an upload's owner and creation never change: read once per gateway
    private final Map<String, UploadMeta> uploads = new ConcurrentHashMap<>();
    private volatile Disposable schedule;

    Sweeper(ObjectStore store, JobLedger jobs, Expiry expiry, Quotas quotas, LimitsProperties props, Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.expiry = expiry;
        this.quotas = quotas;
        this.props = props;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        schedule = Flux.interval(props.firstSweep(), props.sweepEvery(), Schedulers.boundedElastic())
                .onBackpressureDrop()
                .subscribe(t -> {
                    try {
                        Result r = sweep();
                        if (r.uploadsExpired() + r.jobsExpired() > 0) {
                            log.info("expired {} uploads and {} jobs' results, {} bytes deleted", r.uploadsExpired(),
                                    r.jobsExpired(), r.bytesDeleted());
                        }
                    } catch (RuntimeException e) {
                        // the store is down: the next sweep tries again, the last count stands meanwhile
                        log.warn("sweep failed: {}", e.toString());
                    }
                });
    }

    @PreDestroy
    void stop() {
        if (schedule != null) {
            schedule.dispose();
        }
    }

    /** One sweep, now. Blocking (store listings and deletes). */
    public synchronized Result sweep() {
        Instant startedAt = clock.instant();
        Map<String, List<Quotas.Held>> byOwner = new HashMap<>();
        Map<String, JobStatus> known = new HashMap<>();
        jobs.all().forEach(s -> known.put(s.jobId(), s));
        Set<String> uploadsInUse = new HashSet<>();
        int jobsExpired = 0;
        int uploadsExpired = 0;
        long deleted = 0;

        for (Map.Entry<String, SortedMap<String, Long>> job : byId(store.sizes(JOBS), JOBS).entrySet()) {
            String id = job.getKey();
            JobStatus s = known.get(id);
            Instant expiresAt = s == null ? null : expiry.of(s);
            if (expiry.passed(expiresAt)) {
                long n = delete(StorageKeys.Jobs.prefix(id), job.getValue(), JOB_KEPT);
                deleted += n;
                jobsExpired += n > 0 ? 1 : 0;
                continue;
            }
            // a job not (yet) known, or still live, keeps its upload
            jobs.uploadOf(id).ifPresent(uploadsInUse::add);
            if (s != null && s.ownerHash() != null) {
                byOwner.computeIfAbsent(s.ownerHash(), k -> new ArrayList<>())
                        .add(new Quotas.Held(id, sum(job.getValue()), expiresAt));
            }
        }
        for (Map.Entry<String, SortedMap<String, Long>> upload : byId(store.sizes(UPLOADS), UPLOADS).entrySet()) {
            String id = upload.getKey();
            Optional<UploadMeta> meta = meta(id);
            if (meta.isEmpty()) {
                continue; // being written, or refused and being removed
            }
            if (expiry.passed(meta.get().expiresAt()) && !uploadsInUse.contains(id)) {
                long n = delete(StorageKeys.Uploads.prefix(id), upload.getValue(), UPLOAD_KEPT);
                deleted += n;
                uploadsExpired += n > 0 ? 1 : 0;
                continue;
            }
            byOwner.computeIfAbsent(meta.get().ownerHash(), k -> new ArrayList<>())
                    .add(new Quotas.Held(id, sum(upload.getValue()), meta.get().expiresAt()));
        }
        quotas.swept(byOwner, startedAt);
        return new Result(uploadsExpired, jobsExpired, deleted);
    }

    /** Deletes every object under {@code prefix} but {@code kept}; returns the bytes deleted. */
    private long delete(String prefix, SortedMap<String, Long> objects, String kept) {
        long bytes = 0;
        Set<String> children = new HashSet<>();
        for (Map.Entry<String, Long> o : objects.entrySet()) {
            String rest = o.getKey().substring(prefix.length());
            if (rest.equals(kept)) {
                continue;
            }
            int slash = rest.indexOf('/');
            children.add(slash < 0 ? rest : rest.substring(0, slash + 1));
            bytes += o.getValue();
        }
        // one delete per top-level folder (a job's tiles are thousands of objects) or file
        children.forEach(c -> store.deletePrefix(prefix + c));
        return bytes;
    }

    private Optional<UploadMeta> meta(String uploadId) {
        UploadMeta m = uploads.get(uploadId);
        if (m != null) {
            return Optional.of(m);
        }
        try {
            UploadedVolume v = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(uploadId)), UploadedVolume.class);
            m = new UploadMeta(v.ownerHash(), expiry.of(v));
            uploads.put(uploadId, m);
            return Optional.of(m);
        } catch (ObjectStore.NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /** The objects under {@code prefix} grouped by the id that follows it. */
    private static Map<String, SortedMap<String, Long>> byId(SortedMap<String, Long> sizes, String prefix) {
        Map<String, SortedMap<String, Long>> out = new TreeMap<>();
        sizes.forEach((key, size) -> {
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                out.computeIfAbsent(rest.substring(0, slash), k -> new TreeMap<>()).put(key, size);
            }
        });
        return out;
    }

    private static long sum(SortedMap<String, Long> objects) {
        return objects.values().stream().mapToLong(Long::longValue).sum();
    }
}
