package org.zooscope.worker.task;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.events.Topics;

/**
 * The jobs their owners cancelled, read straight from the gateway's {@code zooscope.jobs.control} events: every worker
 * reads every partition from the start (no consumer group, nothing committed), so a cancelled job's tiles are
 * dropped without asking the store about each batch. Bounded by the topic's retention.
 */
public final class Cancellations implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Cancellations.class);

    private final Consumer<String, byte[]> consumer;
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean running = new AtomicBoolean(true);

    public Cancellations(Consumer<String, byte[]> consumer) {
        this.consumer = consumer;
    }

    /** Reads the control topic of the cluster at {@code bootstrap}. */
    public static Cancellations of(String bootstrap, String clientId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new Cancellations(new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()));
    }

    public boolean isCancelled(String jobId) {
        return cancelled.contains(jobId);
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS_CONTROL.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    // the key is the job id: a malformed value still names the job
                    if (r.key() != null && cancelled.add(r.key())) {
                        log.info("job {} was cancelled: its remaining tiles are skipped", r.key());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
