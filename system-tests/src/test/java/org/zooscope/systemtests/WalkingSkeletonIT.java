package org.zooscope.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.volume.Volume;

/**
 * The walking skeleton, end to end over the real stack: upload a 16-bit stack over HTTP, run the test model on it
 * through job-stream and a gpu-worker process, and check that the probabilities the gateway returns equal running the
 * same ONNX model directly on the same input; the completion event is on Kafka and the job is in the catalog.
 */
class WalkingSkeletonIT {
    private static final String MODEL = "skeleton-smooth";
    private static RunningStack stack;
    private static Path models;

    @BeforeAll
    static void startStack() throws URISyntaxException {
        stack = RunningStack.get();
        models = Path.of(WalkingSkeletonIT.class.getResource("/models").toURI());
        stack.stack.seedModels(models);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Http.get(stack.gateway() + "/api/v1/models/" + MODEL, null).status()).isEqualTo(200));
    }

    @Test
    void uploadRunAndDownloadMatchesTheModelRunDirectly(@TempDir Path tmp) throws Exception {
        Path input = Path.of(WalkingSkeletonIT.class.getResource("/em-crop-300x220x3-u16.tif").toURI());

        // given an uploaded 16-bit stack
        Http.Response up = Http.upload(stack.gateway() + "/api/v1/uploads", RunningStack.TOKEN, input);
        assertThat(up.status()).as(up.text()).isEqualTo(201);
        JsonNode upload = up.json();
        assertThat(upload.get("width").asInt()).isEqualTo(300);
        assertThat(upload.get("height").asInt()).isEqualTo(220);
        assertThat(upload.get("depth").asInt()).isEqualTo(3);
        assertThat(upload.get("dtype").asText()).isEqualTo("uint16");

        // when a job runs the test model on it
        Http.Response submitted = Http.postJson(stack.gateway() + "/api/v1/jobs", RunningStack.TOKEN,
                "{\"input\":{\"uploadId\":\"" + upload.get("id").asText() + "\"},\"models\":[\"" + MODEL
                        + "\"],\"enhance\":false,\"augmentation\":\"none\"}");
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String jobId = submitted.json().get("id").asText();
        assertThat(submitted.json().get("shareUrl").asText()).contains("/view/" + jobId + "?token=");

        JsonNode done = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> Http.get(stack.gateway() + "/api/v1/jobs/" + jobId, RunningStack.TOKEN).json(),
                        j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.get("state").asText()));
        assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("progress").asDouble()).isEqualTo(1.0);

        // then the probabilities equal the model run directly on the same (whole-volume normalised) input
        Http.Response tif = Http.get(stack.gateway() + "/api/v1/jobs/" + jobId + "/results/probabilities.tif", RunningStack.TOKEN);
        assertThat(tif.status()).isEqualTo(200);
        assertThat(tif.contentType()).isEqualTo("image/tiff");
        Path result = tmp.resolve("probabilities.tif");
        Files.write(result, tif.body());
        Volume probs = VolumeReader.read(result, ReadLimits.defaults());
        Volume source = VolumeReader.read(input, ReadLimits.defaults());
        assertThat(probs.width()).isEqualTo(300);
        assertThat(probs.height()).isEqualTo(220);
        assertThat(probs.depth()).isEqualTo(3);
        float[][] expected = TestStacks.runDirectly(source, models.resolve(MODEL).resolve("weights.onnx"));
        assertThat(TestStacks.maxInteriorDifference(probs, expected)).as("max |pipeline - direct ONNX Runtime|").isLessThan(1e-5);
        float[] mid = new float[300 * 220];
        probs.copyPlane(1, mid);
        double mean = 0;
        double sq = 0;
        for (float f : mid) {
            mean += f;
            sq += f * f;
        }
        mean /= mid.length;
        assertThat(Math.sqrt(sq / mid.length - mean * mean)).as("the result is not a constant image").isGreaterThan(0.01);

        // and the overlays and the OME-Zarr (read object by object, as a viewer does) are there too
        Http.Response overlay = Http.get(stack.gateway() + "/api/v1/jobs/" + jobId + "/results/overlay/1.png", RunningStack.TOKEN);
        assertThat(overlay.status()).isEqualTo(200);
        assertThat(overlay.contentType()).isEqualTo("image/png");
        Http.Response zattrs = Http.get(stack.gateway() + "/api/v1/jobs/" + jobId
                + "/results/probabilities.ome.zarr/test/.zattrs", RunningStack.TOKEN);
        assertThat(zattrs.status()).isEqualTo(200);
        assertThat(zattrs.json().get("multiscales").get(0).get("version").asText()).isEqualTo("0.4");

        // and a share link reads the job without the API token; a wrong token does not
        String shareUrl = submitted.json().get("shareUrl").asText();
        String token = shareUrl.substring(shareUrl.indexOf("token=") + 6);
        assertThat(Http.get(stack.gateway() + "/api/v1/jobs/" + jobId + "?token=" + token, null).status()).isEqualTo(200);
        assertThat(Http.get(stack.gateway() + "/api/v1/jobs/" + jobId + "?token=wrong", null).status()).isEqualTo(404);

        // and the SSE stream ends with the final state
        Http.Response events = Http.get(stack.gateway() + "/api/v1/jobs/" + jobId + "/events", RunningStack.TOKEN);
        assertThat(events.contentType()).startsWith("text/event-stream");
        assertThat(events.text()).contains("\"state\":\"SUCCEEDED\"");

        // and exactly this job's completion event is on the public topic
        ConsumerRecord<String, byte[]> completed = completionEvent(jobId);
        JsonNode event = EventJson.mapper().readTree(completed.value());
        assertThat(event.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(event.get("results").get("probabilities").asText()).startsWith("s3://zooscope/jobs/" + jobId + "/");

        // and the catalog indexed the job
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Http.Response doc = Http.get(stack.settings.openSearchUrl() + "/zooscope-jobs/_doc/" + jobId, null);
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.json().get("_source").get("state").asText()).isEqualTo("SUCCEEDED");
        });
    }

    private static ConsumerRecord<String, byte[]> completionEvent(String jobId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.settings.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + jobId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            c.subscribe(List.of("zooscope.jobs.completed"));
            return await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (jobId.equals(r.key())) {
                        return r;
                    }
                }
                return null;
            }, r -> r != null);
        }
    }
}
