package org.zooscope.worker.task;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.failure.Failures;
import org.zooscope.core.events.DeadLetter;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.events.Topics;
import org.zooscope.worker.config.WorkerSettings;
import org.zooscope.worker.inference.PredictorCache;

/**
 * One consumer: polls a batch of tile tasks, hands it to its own inference thread (tasks of one model batched into
 * shared runs), and while that runs keeps polling with its partitions paused, so a slow tile never exceeds Kafka's
 * poll interval and never causes a rebalance. When the batch is done its results are on the progress topic (flushed)
 * and only then are its offsets committed. A crash before the commit means the tasks are done again by whichever
 * worker gets the partition; their outputs have deterministic keys, so that is harmless. A rebalance that takes a
 * partition away waits for the batch in flight and commits it first, so no other worker repeats it.
 */
public final class TileTaskConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TileTaskConsumer.class);

    private final WorkerSettings settings;
    private final TileProcessor processor;
    private final Producer<String, byte[]> producer;
    private final Consumer<String, byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final String name;
    /** Whether a job was cancelled (from the control topic): its tiles are skipped. */
    private final java.util.function.Function<String, Boolean> cancelled;
    private final ExecutorService inferenceThread;
    /** Used only on the inference thread: DJL predictors are not thread-safe. */
    private final PredictorCache predictors = new PredictorCache();
    private InFlight inFlight;

    /** A batch being worked on: where each partition starts again if it fails, and where it commits when done. */
    private record InFlight(Map<TopicPartition, Long> firstOffsets, Map<TopicPartition, OffsetAndMetadata> offsets,
                            Future<?> work, int tasks, long startNanos) {
    }

    public TileTaskConsumer(WorkerSettings settings, TileProcessor processor, Producer<String, byte[]> producer,
                            java.util.function.Predicate<String> cancelled, String name) {
        this(settings, processor, producer, kafkaConsumer(settings, name), cancelled, name);
    }

    TileTaskConsumer(WorkerSettings settings, TileProcessor processor, Producer<String, byte[]> producer,
                     Consumer<String, byte[]> consumer, java.util.function.Predicate<String> cancelled, String name) {
        this.cancelled = cancelled::test;
        this.settings = settings;
        this.processor = processor;
        this.producer = producer;
        this.consumer = consumer;
        this.name = name;
        this.inferenceThread = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-inference"));
    }

    private static KafkaConsumer<String, byte[]> kafkaConsumer(WorkerSettings settings, String name) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) settings.maxPollInterval().toMillis());
        // how soon a crashed worker's partitions move to the others
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, settings.sessionTimeout().toMillis() / 3));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.TILES_TASKS.name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (inFlight != null) {
                        completeInFlight();
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (inFlight != null) {
                        consumer.pause(partitions);
                    }
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    // another worker owns them now: the batch in flight finishes, but its offsets are not ours to commit
                    if (inFlight != null) {
                        awaitQuietly(inFlight.work());
                        inFlight = null;
                    }
                }
            });
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(inFlight == null ? 500 : 50));
                if (!records.isEmpty()) {
                    if (inFlight == null) {
                        start(records);
                    } else {
                        rewind(records);
                    }
                }
                if (inFlight != null && inFlight.work().isDone()) {
                    completeInFlight();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            try {
                if (inFlight != null) {
                    completeInFlight();
                }
            } catch (RuntimeException e) {
                log.warn("could not commit the last batch on shutdown ({}); its tasks will be done again", e.getMessage());
            }
            inferenceThread.submit(predictors::close);
            inferenceThread.shutdown();
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void start(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            batch.add(r);
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            first.merge(tp, r.offset(), Math::min);
            offsets.merge(tp, new OffsetAndMetadata(r.offset() + 1), (a, b) -> a.offset() >= b.offset() ? a : b);
        }
        consumer.pause(consumer.assignment());
        log.info("{}: running {} tile task(s) from {} with its partitions paused", name, batch.size(), first.keySet());
        inFlight = new InFlight(first, offsets, inferenceThread.submit(() -> handleAll(batch)), batch.size(), System.nanoTime());
    }

    /** Records that arrived for a partition assigned while a batch runs: they are read again once it is done. */
    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
        consumer.pause(records.partitions());
    }

    /** Waits for the batch, makes its reports durable, then commits its offsets and resumes polling. */
    private void completeInFlight() {
        InFlight f = inFlight;
        inFlight = null;
        boolean finished = awaitQuietly(f.work());
        producer.flush();
        Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(f.offsets());
        owned.keySet().retainAll(consumer.assignment());
        if (!finished) {
            // not every task was reported: read the batch again rather than lose a tile
            owned.keySet().forEach(tp -> consumer.seek(tp, f.firstOffsets().get(tp)));
            consumer.resume(consumer.paused());
            return;
        }
        try {
            consumer.commitSync(owned);
            log.info("{}: {} tile task(s) done in {} ms and committed", name, f.tasks(), (System.nanoTime() - f.startNanos()) / 1_000_000);
        } catch (KafkaException e) {
            // the partitions moved on: their new owner repeats these tasks, which writes the same objects
            log.warn("could not commit {} finished tile task offset(s) ({}); they will be done again", owned.size(), e.getMessage());
        }
        consumer.resume(consumer.paused());
    }

    /** Whether the batch finished with every task reported. */
    private boolean awaitQuietly(Future<?> work) {
        try {
            work.get(settings.maxPollInterval().toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.error("a batch of tile tasks did not finish cleanly, it will be read again: {}", e.toString());
        }
        return false;
    }

    /** Runs on the inference thread. */
    private void handleAll(List<ConsumerRecord<String, byte[]>> records) {
        List<TileTask> tasks = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                tasks.add(Topics.TILES_TASKS.value(r.value()));
                sources.add(r);
            } catch (EventJson.MalformedEventException e) {
                deadLetter(r, e.getMessage(), 1);
                String jobId = r.key() == null ? null : r.key().split("/", 2)[0];
                if (jobId != null && !jobId.isBlank()) {
                    report(new JobProgress.TaskFailed(jobId, "tile task " + r.key(), "a tile task could not be read: " + e.getMessage()));
                }
            }
        }
        // a cancelled job's tiles are dropped (and committed) without running the model
        java.util.Map<String, Boolean> cancelled = new java.util.HashMap<>();
        for (int i = tasks.size() - 1; i >= 0; i--) {
            if (cancelled.computeIfAbsent(tasks.get(i).jobId(), this.cancelled)) {
                tasks.remove(i);
                sources.remove(i);
            }
        }
        List<TileProcessor.Outcome> outcomes = processor.processAll(tasks, predictors);
        for (int i = 0; i < outcomes.size(); i++) {
            TileProcessor.Outcome o = outcomes.get(i);
            if (o.failure() == null) {
                report(o.done());
            } else {
                retry(sources.get(i), o.task(), o.failure());
            }
        }
    }

    /** A task that failed in its batch: retried alone as {@link RetryPolicy} says, then dead-lettered with the reason. */
    private void retry(ConsumerRecord<String, byte[]> r, TileTask task, RuntimeException firstFailure) {
        RetryPolicy policy = new RetryPolicy(settings.maxAttempts(), settings.outageBudget(), settings.retryBackoff(),
                WorkerSettings.MAX_BACKOFF);
        RuntimeException failure = firstFailure;
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            RetryPolicy.Decision next = policy.after(failure, attempt, waited);
            log.warn("tile {} of job {} failed (attempt {}, {} s, {}): {}", task.partitionKey(), task.jobId(), attempt,
                    waited.toSeconds(), next.again() ? "retrying" : "giving up", Failures.reason(failure));
            if (!next.again()) {
                String reason = "model " + task.modelId() + " failed on slice " + task.z() + ", tile " + task.tileIndex()
                        + " after " + attempt + " attempt(s)" + (next.outage() ? " over " + waited.toSeconds()
                        + " s (the object store or the network was unreachable all that time; try again later)" : "")
                        + ": " + Failures.reason(failure);
                deadLetter(r, reason, attempt);
                report(new JobProgress.TaskFailed(task.jobId(), task.partitionKey(), reason));
                return;
            }
            sleep(next.pause());
            try {
                report(processor.process(task, predictors));
                return;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }

    private void report(JobProgress event) {
        producer.send(new ProducerRecord<>(Topics.JOBS_PROGRESS.name(), event.jobId(), EventJson.toBytes(event)));
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason, int attempts) {
        DeadLetter dl = new DeadLetter(r.topic(), r.key(), new String(r.value(), StandardCharsets.UTF_8), reason, attempts,
                Instant.now());
        producer.send(new ProducerRecord<>(Topics.TILES_DLQ.name(), r.key(), EventJson.toBytes(dl)));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }
}
