package org.zooscope.systemtests;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.Topics;

/**
 * What the workers reported about one job's tiles, read back from {@code zooscope.jobs.progress}: for each
 * {@code model/z/tile}, how often it was inferred and how often reported from its stored output ({@code reused}).
 * Tests and benchmarks use it to show that a fault made no tile run twice.
 */
public final class TileReports {
    private TileReports() {
    }

    /** {@code model/z/tile} → {inferences, reuses}; reads until the topic is quiet or {@code atMost} has passed. */
    public static Map<String, int[]> of(String bootstrap, String jobId, Duration atMost) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "tile-reports-" + jobId + "-" + System.nanoTime());
        Map<String, int[]> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.JOBS_PROGRESS.name()));
            Instant until = Instant.now().plus(atMost);
            int idle = 0;
            while (Instant.now().isBefore(until) && idle < 6) {
                var records = c.poll(Duration.ofMillis(500));
                idle = records.isEmpty() && !c.assignment().isEmpty() ? idle + 1 : 0;
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (jobId.equals(r.key()) && read(r.value()) instanceof JobProgress.TileDone t) {
                        counts.computeIfAbsent(t.modelId() + "/" + t.z() + "/" + t.tileIndex(), k -> new int[2])
                                [t.reused() ? 1 : 0]++;
                    }
                }
            }
        }
        return counts;
    }

    private static JobProgress read(byte[] value) {
        try {
            return Topics.JOBS_PROGRESS.value(value);
        } catch (EventJson.MalformedEventException | IllegalArgumentException e) {
            return null; // another stage's record this test does not read
        }
    }
}
