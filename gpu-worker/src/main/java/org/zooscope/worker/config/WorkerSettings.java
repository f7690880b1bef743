package org.zooscope.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.zooscope.core.store.S3Settings;

/**
 * The worker's configuration, validated at start. Every field has its default here and can be set by environment
 * variable: {@code ZOOSCOPE_KAFKA_BOOTSTRAP}, {@code ZOOSCOPE_WORKER_THREADS}, {@code ZOOSCOPE_WORKER_INTRA_OP_THREADS},
 * {@code ZOOSCOPE_WORKER_MAX_ATTEMPTS}, {@code ZOOSCOPE_WORKER_DEVICE} (cpu | gpu), {@code ZOOSCOPE_STATE_DIR},
 * {@code ZOOSCOPE_WORKER_PLANE_CACHE_MB}.
 *
 * @param threads          consumer threads, each with its own predictor
 * @param intraOpThreads   ONNX Runtime threads per predictor
 * @param maxAttempts      tries of a task that fails with a retriable error before it is dead-lettered
 * @param retryBackoff     first wait between tries (doubles each time)
 * @param maxPollInterval  Kafka's limit between polls; a worker never takes more work than it can finish within it
 */
public record WorkerSettings(String bootstrap, S3Settings s3, String groupId, int threads, int intraOpThreads,
                             String device, int maxAttempts, Duration retryBackoff, Duration maxPollInterval,
                             int maxPollRecords, Path cacheDir, long planeCacheBytes, Path readyFile) {

    public WorkerSettings {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers must be set (ZOOSCOPE_KAFKA_BOOTSTRAP)");
        }
        if (threads < 1 || intraOpThreads < 1 || maxAttempts < 1 || maxPollRecords < 1) {
            throw new IllegalArgumentException("threads, intra-op threads, attempts and poll records must be >= 1");
        }
        if (!device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("ZOOSCOPE_WORKER_DEVICE must be cpu or gpu but was " + device);
        }
    }

    public static WorkerSettings fromEnvironment(Map<String, String> env) {
        Path state = Path.of(env.getOrDefault("ZOOSCOPE_STATE_DIR", "var/services/gpu-worker"));
        int cores = Runtime.getRuntime().availableProcessors();
        return new WorkerSettings(
                env.getOrDefault("ZOOSCOPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                S3Settings.fromEnvironment(env),
                env.getOrDefault("ZOOSCOPE_WORKER_GROUP", "zooscope-gpu-worker"),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_THREADS", "1")),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_INTRA_OP_THREADS", Integer.toString(cores))),
                env.getOrDefault("ZOOSCOPE_WORKER_DEVICE", "cpu"),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_MAX_ATTEMPTS", "3")),
                Duration.ofMillis(200),
                Duration.ofMinutes(5),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_MAX_POLL_RECORDS", "8")),
                state.resolve("models"),
                Long.parseLong(env.getOrDefault("ZOOSCOPE_WORKER_PLANE_CACHE_MB", "256")) * 1024 * 1024,
                env.containsKey("ZOOSCOPE_READY_FILE") ? Path.of(env.get("ZOOSCOPE_READY_FILE")) : null);
    }
}
