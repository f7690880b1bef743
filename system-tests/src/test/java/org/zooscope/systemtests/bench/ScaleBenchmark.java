package org.zooscope.systemtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.Topics;

/**
 * One measurement of {@code system-tests/bench-scale}, on a running local stack: full runs over a hosted dataset
 * (submit → SUCCEEDED), each printed as a {@code RESULT} line with the job's own figures from its completion event
 * ({@code stats.tiles}, {@code stats.inferenceSeconds}: first tile task out to end) and the CPU seconds the workers and
 * the rest of the stack used during it ({@code /proc/<pid>/stat}, the PIDs from {@code var/run/*.pid}): on a machine
 * the whole stack shares, that split says how far more workers can go. The script starts the stack with 1, then 2
 * workers and makes the table.
 */
public final class ScaleBenchmark {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration DEADLINE = Duration.ofMinutes(60);

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("zooscope.root", ".")).toAbsolutePath().normalize();
        String dataset = args.length > 0 ? args[0] : "sbem-mouse-brain-demo";
        String model = args.length > 1 ? args[1] : "mito-sbem-2d";
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String gateway = System.getenv().getOrDefault("ZOOSCOPE_URL", "http://localhost:8080");
        String bootstrap = System.getenv().getOrDefault("ZOOSCOPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String token = Files.readString(root.resolve("var/api-token")).strip();
        BenchApi api = BenchApi.withToken(gateway, token);
        for (int r = 1; r <= runs; r++) {
            Map<String, Double> cpu0 = StackProcesses.snapshot(root.resolve("var/run"));
            long t0 = System.nanoTime();
            String id = api.submit("{\"datasetId\":\"" + dataset + "\"}", model);
            String state = api.awaitFinal(id, POLL, DEADLINE).get("state").asText();
            double wall = (System.nanoTime() - t0) / 1e9;
            if (!state.equals("SUCCEEDED")) {
                throw new IllegalStateException("full run " + id + " ended " + state);
            }
            Map<String, Double> cpu1 = StackProcesses.snapshot(root.resolve("var/run"));
            double workers = 0;
            double rest = 0;
            for (var e : cpu1.entrySet()) {
                double used = e.getValue() - cpu0.getOrDefault(e.getKey(), 0.0);
                if (e.getKey().startsWith("gpu-worker")) {
                    workers += used;
                } else {
                    rest += used;
                }
            }
            JsonNode stats = completion(bootstrap, id).path("stats");
            int tiles = stats.path("tiles").asInt();
            double inference = stats.path("inferenceSeconds").asDouble();
            System.out.printf(Locale.ROOT, "RESULT run=%d job=%s tiles=%d inferenceSeconds=%.2f wallSeconds=%.2f "
                    + "tilesPerSecond=%.3f workerCpuSeconds=%.1f restCpuSeconds=%.1f%n",
                    r, id, tiles, inference, wall, tiles / inference, workers, rest);
        }
    }

    /** The job's {@code JobCompleted} event, read from the public topic. */
    private static JsonNode completion(String bootstrap, String jobId) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(Topics.JOBS_COMPLETED.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> rec : c.poll(Duration.ofMillis(500))) {
                    if (jobId.equals(rec.key())) {
                        return EventJson.mapper().readTree(rec.value());
                    }
                }
            }
        }
        throw new IllegalStateException("no completion event for " + jobId);
    }
}
