package org.zooscope.gateway.dataset;

import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.DatasetWriter;
import org.zooscope.core.events.DatasetRegistered;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.Topics;
import org.zooscope.core.failure.Failures;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * Runs dataset ingests in the background on a bounded executor ({@code ingest-threads} at once, {@code ingest-queue}
 * waiting, more refused), tracks each one's state and progress (slices written / depth) in memory, and announces a
 * finished dataset on {@link Topics#DATASETS_REGISTERED}. A failed ingest leaves nothing stored: the writer deletes
 * what it wrote, and a dataset that cannot be announced is deleted too. The states live in this gateway: after a
 * restart an ingest that finished reads as {@code SUCCEEDED} (its card exists) and one that was cut off is gone.
 */
@Component
class DatasetIngests {
    private static final Logger log = LoggerFactory.getLogger(DatasetIngests.class);

    enum State { INGESTING, SUCCEEDED, FAILED }

    /** What {@code GET /api/v1/datasets/{id}/ingest} answers. */
    record Status(String id, State state, double progress, String error) {
    }

    private final ObjectStore store;
    private final KafkaTemplate<String, byte[]> kafka;
    private final ThreadPoolExecutor executor;
    private final Map<String, Tracker> ingests = new ConcurrentHashMap<>();

    DatasetIngests(ObjectStore store, KafkaTemplate<String, byte[]> kafka, DatasetProperties props) {
        this.store = store;
        this.kafka = kafka;
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(props.ingestThreads(), props.ingestThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(props.ingestQueue()), r -> {
                    Thread t = new Thread(r, "dataset-ingest-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Starts ingesting {@code draft} from {@code slices}; 409 when the id is taken, 503 when too many wait. */
    Status start(DatasetCard draft, DatasetWriter.Slices slices) {
        String id = draft.id();
        Tracker t = new Tracker(id, slices.depth());
        Tracker before = ingests.compute(id, (k, old) -> old == null || old.state == State.FAILED ? t : old);
        if (before != t) {
            throw new ApiProblem(HttpStatus.CONFLICT, "dataset '" + id + "' is " + (before.state == State.INGESTING
                    ? "being ingested already" : "stored already") + "; choose another id");
        }
        if (store.size(DatasetKeys.card(id)).isPresent()) {
            ingests.remove(id, t);
            throw new ApiProblem(HttpStatus.CONFLICT, "dataset '" + id + "' exists already; choose another id");
        }
        try {
            executor.execute(() -> run(t, draft, slices));
        } catch (RejectedExecutionException e) {
            ingests.remove(id, t);
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "too many dataset ingests are running or waiting;"
                    + " try again when one has finished");
        }
        return t.status();
    }

    /** The ingest's status; a dataset stored before this gateway started reads as finished. */
    Optional<Status> status(String id) {
        Tracker t = ingests.get(id);
        if (t != null) {
            return Optional.of(t.status());
        }
        if (DatasetKeys.isValidId(id) && store.size(DatasetKeys.card(id)).isPresent()) {
            return Optional.of(new Status(id, State.SUCCEEDED, 1, null));
        }
        return Optional.empty();
    }

    private void run(Tracker t, DatasetCard draft, DatasetWriter.Slices slices) {
        long t0 = System.nanoTime();
        try {
            DatasetCard card = new DatasetWriter(store).write(draft, slices, t.written::set);
            try {
                DatasetRegistered event = card.registered(Instant.now());
                kafka.send(Topics.DATASETS_REGISTERED.name(), card.id(), EventJson.toBytes(event)).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a stored dataset nobody can find is worse than none: the ingest failed, so nothing of it stays
                store.deletePrefix(DatasetKeys.prefix(card.id()));
                throw new IllegalStateException("the dataset was stored but could not be announced: "
                        + Failures.reason(e), e);
            }
            t.state = State.SUCCEEDED;
            log.info("ingested dataset {} ({} x {} x {} {}) in {} ms", card.id(), card.width(), card.height(),
                    card.depth(), card.dtype(), (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception | OutOfMemoryError e) {
            t.error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            t.state = State.FAILED;
            log.warn("ingest of dataset {} failed: {}", t.id, t.error);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    private static final class Tracker {
        final String id;
        final int depth;
        final AtomicInteger written = new AtomicInteger();
        volatile State state = State.INGESTING;
        volatile String error;

        Tracker(String id, int depth) {
            this.id = id;
            this.depth = depth;
        }

        Status status() {
            State s = state;
            // the statistics are written after the last slice: 1 only once the dataset is announced
            double progress = s == State.SUCCEEDED ? 1 : Math.min(0.99, written.get() / (double) Math.max(1, depth));
            return new Status(id, s, progress, error);
        }
    }
}
