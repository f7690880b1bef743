package org.zooscope.gateway.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.store.ObjectStore;
import reactor.core.scheduler.Schedulers;

/**
 * Share links changed after a job was submitted: revoked, or replaced by a new one. Each change is stored
 * ({@code shares/{jobId}.json}, the token's SHA-256 or none) and held in memory, so checking a share token costs no
 * I/O on the request path; the stored changes are re-read in the background at most every {@link #REFRESH}, so
 * every gateway instance honours a revocation made on another within that time.
 */
@Component
class ShareLinks {
    static final Duration REFRESH = Duration.ofSeconds(20);
    private static final String PREFIX = org.zooscope.core.store.StorageKeys.Shares.PREFIX;

    /** A job's current share token hash; {@code null} when its link was revoked and none replaces it. */
    record Change(String tokenHash) {
    }

    private final ObjectStore store;
    private final Map<String, Change> changes = new ConcurrentHashMap<>();
    private final AtomicBoolean loading = new AtomicBoolean();
    private volatile Instant loadedAt = Instant.EPOCH;

    ShareLinks(ObjectStore store) {
        this.store = store;
    }

    /** The change to this job's share link, if there was one. Never blocks. */
    Optional<Change> changed(String jobId) {
        if (loadedAt.plus(REFRESH).isBefore(Instant.now()) && loading.compareAndSet(false, true)) {
            Schedulers.boundedElastic().schedule(this::reload);
        }
        return Optional.ofNullable(changes.get(jobId));
    }

    /** Makes {@code tokenHash} (null: none) the job's share token. Blocking (one store write). */
    void set(String jobId, String tokenHash) {
        Change c = new Change(tokenHash);
        store.put(PREFIX + jobId + ".json", EventJson.toBytes(c), "application/json");
        changes.put(jobId, c);
    }

    private void reload() {
        try {
            for (String key : store.list(PREFIX)) {
                String jobId = key.substring(PREFIX.length(), key.length() - ".json".length());
                changes.put(jobId, EventJson.fromBytes(store.get(key), Change.class));
            }
            loadedAt = Instant.now();
        } catch (RuntimeException e) {
            // the store is down: keep what is known and try again on the next check
        } finally {
            loading.set(false);
        }
    }
}
