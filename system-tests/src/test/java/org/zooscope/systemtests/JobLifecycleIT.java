package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.store.S3ObjectStore;
import org.zooscope.core.volume.Volume;
import org.zooscope.infra.stack.ServiceProcess;

/**
 * The job lifecycle over the real stack: cancellation, a poison model, a deadline that passes while no worker runs,
 * and a job-stream process killed mid-job whose state comes back from its changelog.
 */
class JobLifecycleIT {
    private static RunningStack stack;
    private static String cancelledJobId;
    private static Path models;

    @BeforeAll
    static void start() throws URISyntaxException {
        stack = RunningStack.get();
        models = Path.of(JobLifecycleIT.class.getResource("/models").toURI());
        stack.stack.seedModels(models);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(Http.get(stack.gateway() + "/api/v1/models/skeleton-smooth", null).status()).isEqualTo(200);
            assertThat(Http.get(stack.gateway() + "/api/v1/models/poison-nan", null).status()).isEqualTo(200);
        });
    }

    private static String upload(Path file) throws Exception {
        Http.Response up = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN, file);
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        return up.json().get("id").asText();
    }

    private static String submit(String uploadId, String model, String extra) {
        Http.Response r = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN, "{\"input\":{\"uploadId\":\""
                + uploadId + "\"},\"models\":[\"" + model + "\"],\"enhance\":false" + extra + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("id").asText();
    }

    private static JsonNode job(String id) {
        return Http.get(stack.gateway() + "/api/v1/jobs/" + id, RunningStack.TOKEN).json();
    }

    private static JsonNode awaitFinal(String id, Duration max) {
        return await().atMost(max).pollInterval(Duration.ofMillis(250)).until(() -> job(id),
                j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asText()));
    }

    private static ServiceProcess service(String name) {
        return stack.services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void withoutWorkersAJobFailsAtItsDeadlineAndACancelledJobWritesNoResults(@TempDir Path tmp) throws Exception {
        String uploadId = upload(TestStacks.mirroredSample(tmp, 700));
        ServiceProcess worker = service("gpu-worker");
        worker.stop();
        try {
            String late = submit(uploadId, "skeleton-smooth", ",\"deadlineSeconds\":8");
            String cancelled = submit(uploadId, "skeleton-smooth", "");
            cancelledJobId = cancelled;
            await().atMost(Duration.ofSeconds(30)).until(() -> job(cancelled).get("state").asText().equals("RUNNING"));
            var del = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(stack.gateway() + "/api/v1/jobs/" + cancelled))
                    .header("Authorization", "Bearer " + RunningStack.TOKEN).DELETE().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(del.statusCode()).isEqualTo(202);

            JsonNode c = awaitFinal(cancelled, Duration.ofSeconds(30));
            assertThat(c.get("state").asText()).isEqualTo("CANCELLED");
            JsonNode l = awaitFinal(late, Duration.ofSeconds(60));
            assertThat(l.get("state").asText()).isEqualTo("FAILED");
            assertThat(l.get("error").asText()).contains("deadline of 8 s");
        } finally {
            stack.stack.startServices(List.of(worker), Duration.ofSeconds(120));
        }
        // the worker is back and may do the cancelled job's leftover tiles, but no result of it may appear
        try (S3ObjectStore s3 = S3ObjectStore.connect(stack.settings.s3())) {
            String cancelledId = cancelledJobId;
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                    .until(() -> s3.list("jobs/" + cancelledId + "/results/").isEmpty()
                            && job(cancelledId).get("state").asText().equals("CANCELLED"));
        }
    }

    @Test
    void aPoisonModelFailsItsJobWithTheReasonAndDeadLettersTheTask(@TempDir Path tmp) throws Exception {
        String uploadId = upload(TestStacks.mirroredSample(tmp, 256));
        String id = submit(uploadId, "poison-nan", "");
        JsonNode j = awaitFinal(id, Duration.ofSeconds(120));
        assertThat(j.get("state").asText()).isEqualTo("FAILED");
        assertThat(j.get("error").asText()).contains("poison-nan").contains("NaN");

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.settings.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-check-" + id);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("zooscope.tiles.dlq"));
            ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.key().startsWith(id + "/")) {
                        return r;
                    }
                }
                return null;
            }, r -> r != null);
            assertThat(new String(dead.value(), java.nio.charset.StandardCharsets.UTF_8)).contains("NaN").contains("\"attempts\":");
        }
    }

    @Test
    void aJobStreamKilledMidJobResumesFromItsChangelogAndTheResultIsRight(@TempDir Path tmp) throws Exception {
        Path input = TestStacks.mirroredSample(tmp, 1024);
        String id = submit(upload(input), "skeleton-smooth", "");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> job(id).get("stage").asText(), s -> s.equals("inference") || s.equals("preprocessing"));
        ServiceProcess jobStream = service("job-stream");
        ProcessHandle running = jobStream.process().handle().orElseThrow();
        running.destroyForcibly();
        running.onExit().get();
        stack.stack.startServices(List.of(jobStream), Duration.ofSeconds(120));

        JsonNode done = awaitFinal(id, Duration.ofSeconds(180));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        Http.Response tif = Http.get(stack.gateway() + "/api/v1/jobs/" + id + "/results/probabilities.tif", RunningStack.TOKEN);
        Volume probs = TestStacks.readTiff(tif.body(), tmp, "p.tif");
        Volume source = org.zooscope.core.io.VolumeReader.read(input, org.zooscope.core.io.ReadLimits.defaults());
        float[][] expected = TestStacks.runDirectly(source, models.resolve("skeleton-smooth/weights.onnx"));
        assertThat(TestStacks.maxInteriorDifference(probs, expected)).isLessThan(1e-5);
    }
}
