package org.zooscope.worker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.zooscope.core.store.S3Settings;

/**
 * The worker's configuration, validated at start. Every field has its default here and can be set by environment
 * variable: {@code ZOOSCOPE_KAFKA_BOOTSTRAP}, {@code ZOOSCOPE_WORKER_GROUP}, {@code ZOOSCOPE_WORKER_NAME},
 * {@code ZOOSCOPE_WORKER_THREADS}, {@code ZOOSCOPE_WORKER_INTRA_OP_THREADS}, {@code ZOOSCOPE_WORKER_MAX_ATTEMPTS},
 * {@code ZOOSCOPE_WORKER_OUTAGE_BUDGET_S},
 * {@code ZOOSCOPE_WORKER_DEVICE} (cpu | gpu), {@code ZOOSCOPE_WORKER_MAX_POLL_RECORDS},
 * {@code ZOOSCOPE_WORKER_SESSION_TIMEOUT_MS}, {@code ZOOSCOPE_WORKER_MAX_BATCH}, {@code ZOOSCOPE_WORKER_BATCH_MB},
 * {@code ZOOSCOPE_STATE_DIR}, {@code ZOOSCOPE_WORKER_PLANE_CACHE_MB}.
 *
 * @param name             this worker instance, in its logs and Kafka client ids
 * @param threads          consumer threads, each with its own inference thread and predictors
 * @param intraOpThreads   ONNX Runtime threads per predictor
 * @param maxAttempts      tries of a task that fails with a retriable error before it is dead-lettered
 * @param retryBackoff     first wait between tries (doubles each time, at most {@link #MAX_BACKOFF})
 * @param outageBudget     how long a task that fails because the store or the network is down is retried (an outage
 *                         shorter than this costs time, not the job); other retriable failures get maxAttempts tries
 * @param maxPollInterval  Kafka's limit between polls; the consumer keeps polling (paused) while a batch runs
 * @param maxPollRecords   tasks taken per poll: the most tiles one batch holds
 * @param sessionTimeout   how long a silent (crashed) worker keeps its partitions
 * @param maxBatchItems    most tiles × augmentation variants in one model run
 * @param maxBatchBytes    most input bytes in one model run
 */
public record WorkerSettings(String bootstrap, S3Settings s3, String groupId, String name, int threads,
                             int intraOpThreads, String device, int maxAttempts, Duration retryBackoff,
                             Duration maxPollInterval, int maxPollRecords, Duration sessionTimeout, int maxBatchItems,
                             long maxBatchBytes, Path cacheDir, long planeCacheBytes, Path readyFile,
                             Duration outageBudget) {
    /** The longest wait between two tries. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    public WorkerSettings {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers must be set (ZOOSCOPE_KAFKA_BOOTSTRAP)");
        }
        if (threads < 1 || intraOpThreads < 1 || maxAttempts < 1 || maxPollRecords < 1 || maxBatchItems < 1) {
            throw new IllegalArgumentException("threads, intra-op threads, attempts, poll records and batch size must be >= 1");
        }
        if (maxBatchBytes < 1024 * 1024) {
            throw new IllegalArgumentException("ZOOSCOPE_WORKER_BATCH_MB must be >= 1");
        }
        if (outageBudget.isNegative() || outageBudget.compareTo(maxPollInterval.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("ZOOSCOPE_WORKER_OUTAGE_BUDGET_S must be between 0 and half the poll interval ("
                    + maxPollInterval.dividedBy(2).toSeconds() + " s): the retries run between two polls");
        }
        if (sessionTimeout.toMillis() < 6000) {
            throw new IllegalArgumentException("ZOOSCOPE_WORKER_SESSION_TIMEOUT_MS must be >= 6000 (Kafka's minimum)");
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
                env.getOrDefault("ZOOSCOPE_WORKER_NAME", "gpu-worker"),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_THREADS", "1")),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_INTRA_OP_THREADS", Integer.toString(cores))),
                env.getOrDefault("ZOOSCOPE_WORKER_DEVICE", "cpu"),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_MAX_ATTEMPTS", "3")),
                Duration.ofMillis(200),
                Duration.ofMinutes(5),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_MAX_POLL_RECORDS", "8")),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("ZOOSCOPE_WORKER_SESSION_TIMEOUT_MS", "45000"))),
                // 4: on 2 CPU threads bigger batches of augmented tiles ran slower and grew ONNX Runtime's arena per
                // model (README, "Which model fits?": six models 175 s and 13-19 GB with 16, 63 s and 4.1 GB with 4)
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_WORKER_MAX_BATCH", "4")),
                Long.parseLong(env.getOrDefault("ZOOSCOPE_WORKER_BATCH_MB", "256")) * 1024 * 1024,
                state.resolve("models"),
                Long.parseLong(env.getOrDefault("ZOOSCOPE_WORKER_PLANE_CACHE_MB", "256")) * 1024 * 1024,
                env.containsKey("ZOOSCOPE_READY_FILE") ? Path.of(env.get("ZOOSCOPE_READY_FILE")) : null,
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("ZOOSCOPE_WORKER_OUTAGE_BUDGET_S", "120"))));
    }
}
