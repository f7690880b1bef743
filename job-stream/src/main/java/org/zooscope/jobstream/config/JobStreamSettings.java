package org.zooscope.jobstream.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.zooscope.core.store.S3Settings;

/**
 * The job-stream's configuration, defaults here, each overridable by environment variable:
 * {@code ZOOSCOPE_KAFKA_BOOTSTRAP}, {@code ZOOSCOPE_STATE_DIR}, {@code ZOOSCOPE_JOBSTREAM_APP_ID},
 * {@code ZOOSCOPE_JOBSTREAM_THREADS}, {@code ZOOSCOPE_TILE_SIZE}, {@code ZOOSCOPE_MAX_RUNNING_JOBS},
 * {@code ZOOSCOPE_SECONDS_PER_TILE}, {@code ZOOSCOPE_DEADLINE_FACTOR}, {@code ZOOSCOPE_MIN_DEADLINE} (ISO-8601 duration),
 * {@code ZOOSCOPE_JOB_RETENTION}, {@code ZOOSCOPE_PROGRESS_INTERVAL} (these three ISO-8601 durations).
 */
public record JobStreamSettings(String bootstrap, S3Settings s3, String applicationId, Path stateDir, int streamThreads,
                                int replicationFactor, PlanSettings plan, Path readyFile) {

    public JobStreamSettings {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("Kafka bootstrap servers must be set (ZOOSCOPE_KAFKA_BOOTSTRAP)");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("ZOOSCOPE_JOBSTREAM_THREADS must be >= 1 but was " + streamThreads);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("ZOOSCOPE_JOBSTREAM_REPLICATION_FACTOR must be >= 1 but was "
                    + replicationFactor);
        }
    }

    public static JobStreamSettings fromEnvironment(Map<String, String> env) {
        Path state = Path.of(env.getOrDefault("ZOOSCOPE_STATE_DIR", "var/services/job-stream"));
        return new JobStreamSettings(
                env.getOrDefault("ZOOSCOPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                S3Settings.fromEnvironment(env),
                env.getOrDefault("ZOOSCOPE_JOBSTREAM_APP_ID", "zooscope-job-stream"),
                state.resolve("streams"),
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_JOBSTREAM_THREADS", "2")),
                // the internal topics' replicas: 1 on one broker; a cluster needs at least its min.insync.replicas
                Integer.parseInt(env.getOrDefault("ZOOSCOPE_JOBSTREAM_REPLICATION_FACTOR", "1")),
                new PlanSettings(Integer.parseInt(env.getOrDefault("ZOOSCOPE_TILE_SIZE", "512")), 1024,
                        Integer.parseInt(env.getOrDefault("ZOOSCOPE_MAX_RUNNING_JOBS", "2")),
                        Double.parseDouble(env.getOrDefault("ZOOSCOPE_SECONDS_PER_TILE", "2.0")),
                        Double.parseDouble(env.getOrDefault("ZOOSCOPE_DEADLINE_FACTOR", "10")),
                        duration(env, "ZOOSCOPE_MIN_DEADLINE", Duration.ofMinutes(5)),
                        duration(env, "ZOOSCOPE_JOB_RETENTION", Duration.ofHours(1)),
                        duration(env, "ZOOSCOPE_PROGRESS_INTERVAL", PlanSettings.DEFAULT_PROGRESS_INTERVAL)),
                env.containsKey("ZOOSCOPE_READY_FILE") ? Path.of(env.get("ZOOSCOPE_READY_FILE")) : null);
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT1S but was '" + v + "'");
        }
    }
}
