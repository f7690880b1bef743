package org.zooscope.worker.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.events.DeadLetter;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.events.Topics;
import org.zooscope.worker.config.WorkerSettings;
import org.zooscope.worker.inference.PredictorCache;

/**
 * One consumer thread: polls tile tasks, does each (retrying transient failures with backoff), reports the result on
 * the job's progress topic and only then commits. A crash before the commit means the tasks are done again by
 * whichever worker gets the partition; their outputs have deterministic keys, so that is harmless.
 */
public final class TileTaskConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(TileTaskConsumer.class);

    private final WorkerSettings settings;
    private final TileProcessor processor;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public TileTaskConsumer(WorkerSettings settings, TileProcessor processor, KafkaProducer<String, byte[]> producer) {
        this.settings = settings;
        this.processor = processor;
        this.producer = producer;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) settings.maxPollInterval().toMillis());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void run() {
        try (PredictorCache predictors = new PredictorCache()) {
            consumer.subscribe(List.of(Topics.TILES_TASKS.name()));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    handle(r, predictors);
                }
                if (!records.isEmpty()) {
                    producer.flush();
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r, PredictorCache predictors) {
        TileTask task;
        try {
            task = EventJson.fromBytes(r.value(), TileTask.class);
        } catch (EventJson.MalformedEventException e) {
            deadLetter(r, e.getMessage(), 1);
            String jobId = r.key() == null ? null : r.key().split("/", 2)[0];
            if (jobId != null && !jobId.isBlank()) {
                report(new JobProgress.TaskFailed(jobId, "tile task " + r.key(), "a tile task could not be read: " + e.getMessage()));
            }
            return;
        }
        int attempt = 1;
        Duration backoff = settings.retryBackoff();
        while (true) {
            try {
                report(processor.process(task, predictors));
                return;
            } catch (Exception e) {
                boolean retry = FailureClassifier.isRetriable(e) && attempt < settings.maxAttempts();
                log.warn("tile {} of job {} failed (attempt {}/{}, {}): {}", task.partitionKey(), task.jobId(), attempt,
                        settings.maxAttempts(), retry ? "retrying" : "giving up", FailureClassifier.reason(e));
                if (!retry) {
                    String reason = "model " + task.modelId() + " failed on slice " + task.z() + ", tile " + task.tileIndex()
                            + " after " + attempt + " attempt(s): " + FailureClassifier.reason(e);
                    deadLetter(r, reason, attempt);
                    report(new JobProgress.TaskFailed(task.jobId(), task.partitionKey(), reason));
                    return;
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
                attempt++;
            }
        }
    }

    private void report(JobProgress event) {
        producer.send(new ProducerRecord<>(Topics.JOBS_PROGRESS.name(), event.jobId(), EventJson.toBytes(event)));
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason, int attempts) {
        DeadLetter dl = new DeadLetter(r.topic(), r.key(), new String(r.value(), java.nio.charset.StandardCharsets.UTF_8),
                reason, attempts, Instant.now());
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
