package org.zooscope.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.zooscope.catalog.search.ModelSearch;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.security.Hashes;
import org.zooscope.gateway.testing.GatewayTests;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/recommendations} over HTTP with the store in memory and Kafka and OpenSearch mocked: which zoo models
 * a recommendation runs (and which it leaves out, and why), each bad input as a problem naming it, and the ranking
 * from the mean and variance maps a finished job stored. In the job package: it finishes the recommendation's job by
 * hand through the status cache, as job-stream would.
 */
@Import(GatewayTests.InMemoryStore.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "zooscope.limits.running-jobs=1000",
        "zooscope.api-tokens=token-a,token-b",
        "spring.kafka.listener.auto-startup=false"})
@AutoConfigureWebTestClient(timeout = "PT30S")
class RecommendationApiTest {
    private static final Path ZOO = Path.of("..", "zoo");
    private static final Path PACKAGES = Path.of("..", "core", "src", "test", "resources", "packages");

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    WebTestClient http;
    @Autowired
    ObjectStore store;
    @Autowired
    JobStatusCache statuses;
    @MockitoBean
    ModelSearch models;
    @MockitoBean
    KafkaTemplate<String, byte[]> kafka;

    @BeforeEach
    void setUp() throws Exception {
        http = GatewayTests.client(port);
        List<Map<String, Object>> cards = new ArrayList<>();
        cards.add(model("mito-sbem-2d", "mitochondria", 1, ZOO.resolve("mito-sbem-2d/bioimageio.yaml")));
        cards.add(model("membrane-isbi-3f", "membranes", 3, ZOO.resolve("membrane-isbi-3f/bioimageio.yaml")));
        cards.add(model("two-channel", "nuclei", 2, PACKAGES.resolve("two-channel/bioimageio.yaml")));
        when(models.search(any())).thenReturn(new ModelSearch.Result(cards, cards.size(), Map.of()));
        when(kafka.send(anyString(), anyString(), any(byte[].class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    private Map<String, Object> model(String id, String component, int frames, Path yaml) throws IOException {
        String prefix = StorageKeys.Models.prefix(id, "1");
        store.put(prefix + "bioimageio.yaml", Files.readAllBytes(yaml), "application/x-yaml");
        Map<String, Object> card = new LinkedHashMap<>(Map.of("id", id, "component", component, "frames", frames,
                "published", true));
        Map<String, Object> doc = new LinkedHashMap<>(card);
        doc.put("packageKey", prefix);
        when(models.get(id)).thenReturn(Optional.of(doc));
        return card;
    }

    @Test
    void runsEveryFittingModelAsOneJobAndRanksThemByTheirStoredMaps() throws Exception {
        String upload = upload("token-a", 64, 48, 3);
        JsonNode started = post("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"}}").expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = started.get("id").asString();
        String jobId = started.get("jobId").asString();
        assertThat(started.get("models").toString()).contains("mito-sbem-2d", "membrane-isbi-3f").doesNotContain("two-channel");
        assertThat(started.get("excluded").get(0).get("reason").asString()).contains("2 input channels");

        // the job is an ordinary one, with the validated augmentation and without enhancement
        JsonNode job = http.get().uri("/api/v1/jobs/" + jobId + "/settings").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(job.get("augmentation").asString()).isEqualTo("standard");
        assertThat(job.get("enhance").asBoolean()).isFalse();

        JsonNode running = get("token-a", id).expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(running.get("state").asString()).isEqualTo("QUEUED");
        assertThat(running.get("items")).hasSize(2);
        assertThat(running.get("items").get(0).get("score").isNull()).isTrue();
        // someone else sees nothing
        problem(get("token-b", id), 404, id);

        // the job ends: mito-sbem-2d's 4 variants agree, membrane-isbi-3f's 8 disagree
        Map<String, String> results = new LinkedHashMap<>();
        results.put("models/mito-sbem-2d/probabilities.tif", map(jobId, "m1", 0.9f));
        results.put("models/mito-sbem-2d/uncertainty.tif", map(jobId, "v1", 0.001f));
        results.put("models/membrane-isbi-3f/probabilities.tif", map(jobId, "m2", 0.6f));
        results.put("models/membrane-isbi-3f/uncertainty.tif", map(jobId, "v2", 0.2f));
        statuses.update(new JobStatus(jobId, JobState.SUCCEEDED, 1, "done", null, Instant.now(), Instant.now(),
                Instant.now(), null, results, List.of("mito-sbem-2d", "membrane-isbi-3f"), Hashes.sha256("token-a"),
                null, null));
        JsonNode done = get("token-a", id).expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        JsonNode items = done.get("items");
        assertThat(items.get(0).get("model").asString()).isEqualTo("mito-sbem-2d");
        assertThat(items.get(1).get("model").asString()).isEqualTo("membrane-isbi-3f");
        double best = items.get(0).get("score").asDouble();
        double worst = items.get(1).get("score").asDouble();
        // soft Dice from the moments: (m² − var/(n−1)) / m
        assertThat(best).isCloseTo((0.81 - 0.001 / 3) / 0.9, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(worst).isCloseTo((0.36 - 0.2 / 7) / 0.6, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(items.get(0).get("basis").asString()).contains("4 flips and rotations", "64 × 48 × 3");
        assertThat(items.get(1).get("basis").asString()).contains("8 flips and rotations");
        assertThat(items.get(0).get("thumbnail").asString()).isEqualTo("/api/v1/jobs/" + jobId
                + "/slices/1.png?layer=overlay&model=mito-sbem-2d");
        // kept beside the job: the same answer from the store
        assertThat(store.get(StorageKeys.Jobs.recommendation(jobId))).isNotEmpty();
    }

    @Test
    void aDeepStackIsScoredOnItsCentralSlicesAndTheJobRunsOnThoseOnly() throws Exception {
        // 512 × 512 × 5: the three central slices (their neighbours are the 5-frame models' context)
        assertSample(upload("token-a", 512, 512, 5), 1, 3, 5, new Region(0, 0, 1, 512, 512, 3));
        // a megapixel plane: its central slice
        assertSample(upload("token-a", 1024, 1024, 4), 1, 1, 4, new Region(0, 0, 1, 1024, 1024, 1));
        // small enough: every slice, and the job reads the whole upload
        assertSample(upload("token-a", 64, 48, 3), 0, 3, 3, null);
        // the sample is the recommendation's to choose
        String upload = upload("token-a", 64, 48, 3);
        problem(post("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\",\"roi\":{\"z\":0,\"depth\":1}}}"),
                400, "chooses its own sample of slices");
    }

    private void assertSample(String upload, int first, int count, int of, Region jobInput) {
        JsonNode started = post("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"}}").expectStatus().isAccepted()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode sample = started.get("sample");
        assertThat(sample.get("first").asInt()).isEqualTo(first);
        assertThat(sample.get("count").asInt()).isEqualTo(count);
        assertThat(sample.get("of").asInt()).isEqualTo(of);
        JobRequested job = EventJson.fromBytes(store.get(StorageKeys.Jobs.request(started.get("jobId").asString())),
                JobRequested.class);
        assertThat(job.input().uploadId()).isEqualTo(upload);
        assertThat(job.input().roi()).isEqualTo(jobInput);
    }

    @Test
    void aFailedJobFailsTheRecommendationWithItsReason() throws Exception {
        String upload = upload("token-a", 32, 32, 1);
        JsonNode started = post("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"structure\":\"mitochondria\"}")
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(started.get("models").toString()).isEqualTo("[\"mito-sbem-2d\"]");
        String jobId = started.get("jobId").asString();
        statuses.update(new JobStatus(jobId, JobState.FAILED, 0.3, "inference", null, Instant.now(), Instant.now(),
                Instant.now(), "model mito-sbem-2d returned NaN", Map.of(), List.of("mito-sbem-2d"),
                Hashes.sha256("token-a"), null, null));
        JsonNode failed = get("token-a", started.get("id").asString()).expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        assertThat(failed.get("state").asString()).isEqualTo("FAILED");
        assertThat(failed.get("error").asString()).contains("returned NaN");
    }

    @Test
    void badInputsAreProblemsThatNameThem() throws Exception {
        problem(post("token-a", "{}"), 400, "input is missing");
        problem(post("token-a", "{\"input\":{\"uploadId\":\"u-nope\"}}"), 404, "u-nope");
        String upload = upload("token-a", 32, 32, 1);
        problem(post("token-b", "{\"input\":{\"uploadId\":\"" + upload + "\"}}"), 404, upload);
        problem(post("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"structure\":\"axons\"}"), 400,
                "structure 'axons' is not one the zoo segments");
        problem(post("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"structure\":\"nuclei\"}"), 422,
                "two-channel (it takes 2 input channels");
        String big = upload("token-a", 4096, 4096, 1);
        problem(post("token-a", "{\"input\":{\"uploadId\":\"" + big + "\"}}"), 413, "4096 × 4096 × 1");
        problem(post("token-a", "{\"input\":{\"datasetId\":\"d-1\"}}"), 422, "give input.roi");
        problem(post("token-a", "{\"input\":{\"datasetId\":\"d-1\",\"roi\":{\"x\":0,\"y\":0,\"z\":0,\"width\":3000,"
                + "\"height\":3000,\"depth\":1}}}"), 413, "3000 × 3000 × 1");
        problem(get("token-a", "r-000000000000000000000000"), 404, "r-000000000000000000000000");
        problem(get("token-a", "x-1"), 404, "recommendation 'x-1' does not exist");
    }

    /** An upload as the gateway stores one (description and planes), owned by {@code token}. */
    private String upload(String token, int w, int h, int depth) {
        String id = "u-" + Long.toHexString(System.nanoTime());
        List<String> planes = new ArrayList<>();
        for (int z = 0; z < depth; z++) {
            planes.add(StorageKeys.Uploads.plane(id, z));
        }
        UploadedVolume v = new UploadedVolume(id, Hashes.sha256(token), w, h, depth, "uint8", 0, 255, null, null, null,
                null, planes, List.of("test.tif"), (long) w * h * depth, Instant.now());
        store.put(StorageKeys.Uploads.volume(id), EventJson.toBytes(v), "application/json");
        return id;
    }

    /** A 64 × 48 × 3 float map of one value, stored under the job's results. */
    private String map(String jobId, String name, float value) throws IOException {
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < 3; z++) {
            float[] p = new float[64 * 48];
            java.util.Arrays.fill(p, value);
            planes.add(p);
        }
        ByteArrayOutputStream tif = new ByteArrayOutputStream();
        TiffWriter.writeFloat32(new FloatVolume(64, 48, planes, DataType.FLOAT32, VoxelSize.unknown()), tif);
        String key = StorageKeys.Jobs.results(jobId) + name + ".tif";
        store.put(key, tif.toByteArray(), "image/tiff");
        return key;
    }

    private WebTestClient.ResponseSpec post(String token, String json) {
        return http.post().uri("/api/v1/recommendations").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    private WebTestClient.ResponseSpec get(String token, String id) {
        return http.get().uri("/api/v1/recommendations/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }

    private static void problem(WebTestClient.ResponseSpec spec, int status, String named) {
        JsonNode p = spec.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(p.get("detail").asString()).contains(named);
    }
}
