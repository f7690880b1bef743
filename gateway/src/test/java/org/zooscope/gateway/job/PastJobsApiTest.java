package org.zooscope.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.ModelTiling;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.security.Hashes;
import org.zooscope.gateway.testing.GatewayTests;
import org.zooscope.catalog.search.JobSearch;
import org.zooscope.catalog.search.ModelSearch;
import tools.jackson.databind.JsonNode;

/**
 * "Previous results near here" and the runtime estimate over HTTP, with the catalogue mocked and the zoo's real model
 * descriptions in the in-memory store: what each answers, every bad parameter or body a 4xx problem naming it, and a
 * catalogue outage a 503 naming it.
 */
@Import(GatewayTests.InMemoryStore.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // these tests submit many jobs with one token that never end (no job-stream): quotas have QuotaTest
        "zooscope.limits.running-jobs=1000",
        "zooscope.api-tokens=token-a,token-b",
        "spring.kafka.listener.auto-startup=false"})
class PastJobsApiTest {
    private static final String A = Hashes.sha256("token-a");
    private static final Path ZOO = Path.of(System.getProperty("zooscope.root", "..")).resolve("zoo");

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        var tmp = Files.createTempDirectory("zooscope-pastjobs");
        r.add("zooscope.samples-dir", () -> tmp.resolve("samples").toString());
        r.add("zooscope.upload.temp-dir", () -> tmp.resolve("uploads").toString());
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    @Autowired
    ObjectStore store;
    @MockitoBean
    ModelSearch models;
    @MockitoBean
    JobSearch jobs;
    @MockitoBean
    KafkaTemplate<String, byte[]> kafka;
    WebTestClient http;

    @BeforeEach
    void collaborators() throws IOException {
        http = GatewayTests.client(port);
        when(models.get(anyString())).thenReturn(Optional.empty());
        for (String id : List.of("mito-sbem-2d", "mito-sbem-5f")) {
            store.put("models/" + id + "/0.2.0/bioimageio.yaml", Files.readAllBytes(ZOO.resolve(id).resolve("bioimageio.yaml")),
                    "application/yaml");
            when(models.get(id)).thenReturn(Optional.of(Map.of("id", id, "published", true,
                    "packageKey", "models/" + id + "/0.2.0/")));
        }
        when(models.get("private-model")).thenReturn(Optional.of(Map.of("id", "private-model", "published", false,
                "owner", "hash-of-someone-else", "packageKey", "models/private-model/1/")));
        when(jobs.pastRuns(anyString(), anyInt())).thenReturn(List.of());
        store.put(StorageKeys.Uploads.volume("u-a"), EventJson.toBytes(new UploadedVolume("u-a", A, 1000, 700, 3, "uint8", 0, 255,
                null, null, null, null, List.of(), List.of("stack.tif"), 2_100_000, Instant.now())), "application/json");
        store.put(DatasetKeys.card("sbem-cortex"), EventJson.toBytes(new DatasetCard("sbem-cortex", "SBEM cortex", "",
                "electron microscopy", "mouse", 4096, 3072, 400, "uint8", new VoxelSize(5, 5, 30, "nm"), 5, "CC-BY-4.0",
                "", "test", null, Instant.now())), "application/json");
    }

    // ---------------------------------------------------------------- near here

    @Test
    void nearAnswersTheCallersJobsAsTheCatalogueOrdersThem() {
        Instant finished = Instant.parse("2026-11-30T10:00:00Z");
        when(jobs.near(any())).thenReturn(new JobSearch.Page(List.of(
                new JobSearch.Found("j-in", JobState.SUCCEEDED, List.of("mito-sbem-2d"), "sbem-cortex",
                        new Region(1000, 600, 30, 512, 512, 20), finished, "none", 0),
                new JobSearch.Found("j-full", JobState.SUCCEEDED, List.of("mito-sbem-5f"), "sbem-cortex", null, finished,
                        "fast", 0),
                new JobSearch.Found("j-beside", JobState.FAILED, List.of("mito-sbem-2d"), "sbem-cortex",
                        new Region(1700, 600, 30, 256, 256, 20), finished, "none", 299.6)), 3));

        JsonNode body = near("?datasetId=sbem-cortex&x=1200&y=800&z=40").expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        verify(jobs).near(new JobSearch.Near("sbem-cortex", 1200, 800, 40, 512, A, 0, 50));
        assertThat(body.get("total").asInt()).isEqualTo(3);
        JsonNode first = body.get("items").get(0);
        assertThat(first.get("id").asString()).isEqualTo("j-in");
        assertThat(first.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(first.get("roi").get("width").asInt()).isEqualTo(512);
        assertThat(first.get("fullRun").asBoolean()).isFalse();
        assertThat(first.get("finishedAt").asString()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(first.get("viewUrl").asString()).endsWith("/view/j-in");
        assertThat(body.get("items").get(1).has("roi")).isFalse();
        assertThat(body.get("items").get(1).get("fullRun").asBoolean()).isTrue();
        assertThat(body.get("items").get(2).get("distance").asInt()).isEqualTo(300);
    }

    @Test
    void nearTakesTheCallersMarginAndPage() {
        when(jobs.near(any())).thenReturn(new JobSearch.Page(List.of(), 0));

        near("?datasetId=sbem-cortex&x=0&y=0&z=0&margin=0&from=10&size=5").expectStatus().isOk()
                .expectBody().jsonPath("$.total").isEqualTo(0);

        verify(jobs).near(new JobSearch.Near("sbem-cortex", 0, 0, 0, 0, A, 10, 5));
    }

    @Test
    void nearRefusesMissingAndBadParametersNamingThem() {
        problem(near(""), 400, "datasetId is missing");
        problem(near("?x=1&y=2&z=3"), 400, "datasetId is missing");
        problem(near("?datasetId=Not_A_Dataset&x=1&y=2&z=3"), 400, "Not_A_Dataset");
        problem(near("?datasetId=sbem-cortex&y=2&z=3"), 400, "x is missing");
        problem(near("?datasetId=sbem-cortex&x=1&z=3"), 400, "y is missing");
        problem(near("?datasetId=sbem-cortex&x=1&y=2"), 400, "z is missing");
        problem(near("?datasetId=sbem-cortex&x=1&y=two&z=3"), 400, "y must be a whole number");
        problem(near("?datasetId=sbem-cortex&x=-1&y=2&z=3"), 400, "x must be a whole number");
        problem(near("?datasetId=sbem-cortex&x=1&y=2&z=3.5"), 400, "z must be a whole number");
        problem(near("?datasetId=sbem-cortex&x=1&y=2&z=3&margin=9999999"), 400, "margin");
        problem(near("?datasetId=sbem-cortex&x=1&y=2&z=3&size=0"), 400, "size");
        problem(near("?datasetId=sbem-cortex&x=1&y=2&z=3&from=x"), 400, "from");
        problem(near("?datasetId=sbem-cortex&x=1&y=2&z=3&from=9900"), 400, "from must be a whole number from 0 to 9800");
        problem(near("?datasetId=sbem-cortex&x=3000000000&y=2&z=3"), 400, "x must be a whole number");
        problem(http.get().uri("/api/v1/jobs?datasetId=sbem-cortex&x=1&y=2&z=3").exchange(), 401, "token");
    }

    @Test
    void nearWhileTheCatalogueIsDownIs503NamingIt() {
        when(jobs.near(any())).thenThrow(new UncheckedIOException("job search failed", new ConnectException("Connection refused")));

        problem(near("?datasetId=sbem-cortex&x=1&y=2&z=3"), 503, "finished jobs (OpenSearch)")
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "30");
    }

    // ---------------------------------------------------------------- estimates

    @Test
    void anUploadsEstimateCountsThePlannersTilesAtTheBenchmarkRateWithoutPastJobs() throws Exception {
        JsonNode e = estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[\"mito-sbem-2d\"]}").expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        int perPlane = ModelTiling.tilesPerPlane(mito2d(), 1000, 700, 512);
        assertThat(perPlane).isEqualTo(4);
        assertThat(e.get("tiles").asInt()).isEqualTo(4 * 3);
        // 12 tiles at 0.25 s, and the 3 s every job takes besides its tiles
        assertThat(e.get("seconds").asDouble()).isEqualTo(3.0 + 3.0);
        assertThat(e.get("basis").asString()).isEqualTo("no past jobs with mito-sbem-2d: the benchmark default of 0.25 s per tile"
                + "; plus 3 s a job takes besides its tiles");
        assertThat(e.get("models").get(0).get("tiles").asInt()).isEqualTo(12);
    }

    @Test
    void anEstimateCountsTheTilesOfTheInputResampledToTheModelsPixelSizeUnlessSwitchedOff() throws Exception {
        // the same 1000 x 700 x 3 upload stated at 11.8 nm per pixel: mito-sbem-2d (5.9 nm) runs on 2000 x 1400
        store.put(StorageKeys.Uploads.volume("u-coarse"), EventJson.toBytes(new UploadedVolume("u-coarse", A, 1000, 700,
                3, "uint8", 0, 255, 11.8, 11.8, 40.0, "nm", List.of(), List.of("stack.tif"), 2_100_000, Instant.now())),
                "application/json");

        JsonNode on = estimate("{\"input\":{\"uploadId\":\"u-coarse\"},\"models\":[\"mito-sbem-2d\"]}").expectStatus()
                .isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        JsonNode off = estimate("{\"input\":{\"uploadId\":\"u-coarse\"},\"models\":[\"mito-sbem-2d\"],\"rescale\":false}")
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(on.get("tiles").asInt()).isEqualTo(ModelTiling.tilesPerPlane(mito2d(), 2000, 1400, 512) * 3)
                .isEqualTo(12 * 3);
        assertThat(off.get("tiles").asInt()).isEqualTo(4 * 3);
        // the request may state the pixel size itself: u-a states none
        JsonNode stated = estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[\"mito-sbem-2d\"],"
                + "\"voxelSize\":{\"x\":11.8,\"unit\":\"nm\"}}").expectStatus().isOk().expectBody(JsonNode.class)
                .returnResult().getResponseBody();
        assertThat(stated.get("tiles").asInt()).isEqualTo(12 * 3);
    }

    @Test
    void theRateComesFromPastJobsOfEachModelAndAugmentationMultipliesIt() {
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        when(jobs.pastRuns("mito-sbem-2d", 200)).thenReturn(List.of(
                new JobSearch.PastRun("j-1", List.of("mito-sbem-2d"), "fast", 10, 1.0, t),
                new JobSearch.PastRun("j-2", List.of("mito-sbem-2d"), "fast", 10, 3.0, t.plusSeconds(1)),
                new JobSearch.PastRun("j-3", List.of("mito-sbem-2d"), "fast", 10, 2.0, t.plusSeconds(2))));

        JsonNode e = estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[\"mito-sbem-2d\",\"mito-sbem-5f\"],"
                + "\"augmentation\":\"fast\"}").expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();

        // 12 tiles at the measured 0.2 s; 12 at the benchmark's 0.25 s × 4 variants
        assertThat(e.get("tiles").asInt()).isEqualTo(24);
        assertThat(e.get("seconds").asDouble()).isEqualTo(12 * 0.2 + 12 * 1.0 + 3);
        assertThat(e.get("basis").asString()).isEqualTo("median of 3 past jobs with mito-sbem-2d, augmentation fast:"
                + " 0.2 s per tile; no past jobs with mito-sbem-5f: the benchmark default of 0.25 s per tile × 4 variants"
                + " for augmentation fast: 1 s per tile; plus 3 s a job takes besides its tiles");
        assertThat(e.get("models").get(1).get("secondsPerTile").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aDatasetRegionOrTheWholeDatasetIsTheInputsSize() throws Exception {
        JsonNode region = estimate("{\"input\":{\"datasetId\":\"sbem-cortex\",\"roi\":{\"x\":100,\"y\":100,\"z\":10,"
                + "\"width\":1000,\"height\":700,\"depth\":5}},\"models\":[\"mito-sbem-2d\"]}").expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        // the dataset-wide grid's tiles the region needs (as job-stream plans it), not a grid of the region's own
        assertThat(region.get("tiles").asInt()).isEqualTo(ModelTiling.tilesInWindow(mito2d(), 4096, 3072, 100, 100,
                1000, 700, 512) * 5).isEqualTo(3 * 2 * 5);

        JsonNode whole = estimate("{\"input\":{\"datasetId\":\"sbem-cortex\"},\"models\":[\"mito-sbem-2d\"]}")
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(whole.get("tiles").asInt()).isEqualTo(8 * 6 * 400);
    }

    @Test
    void estimateRefusesBadBodiesAsAJobWouldNamingTheInput() {
        String model = ",\"models\":[\"mito-sbem-2d\"]}";
        problem(estimate("{\"input\": {\"uploadId\": "), 400, "not valid");
        problem(estimate("{\"models\":[\"mito-sbem-2d\"]}"), 400, "input is missing");
        problem(estimate("{\"input\":{}" + model), 400, "input.uploadId is missing");
        problem(estimate("{\"input\":{\"uploadId\":\"u-a\",\"datasetId\":\"sbem-cortex\"}" + model), 400, "both");
        problem(estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[]}"), 400, "models");
        problem(estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[\"mito-sbem-2d\"],\"augmentation\":\"lots\"}"), 400, "lots");
        problem(estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[\"mito-sbem-2d\"],\"threshold\":2}"), 400, "threshold");
        problem(estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[\"no-such-model\"]}"), 404, "no-such-model");
        problem(estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[\"private-model\"]}"), 404, "private-model");
        problem(estimate("{\"input\":{\"uploadId\":\"u-missing\"}" + model), 404, "u-missing");
        problem(estimate("token-b", "{\"input\":{\"uploadId\":\"u-a\"}" + model), 404, "u-a");
        problem(estimate("{\"input\":{\"datasetId\":\"No Such\"}" + model), 404, "No Such");
        problem(estimate("{\"input\":{\"datasetId\":\"fib-hela\"}" + model), 404, "fib-hela");
        problem(estimate("{\"input\":{\"datasetId\":\"sbem-cortex\",\"roi\":{\"x\":0,\"y\":0,\"z\":0,\"width\":10,"
                + "\"height\":10}}" + model), 400, "roi.depth is missing");
        problem(estimate("{\"input\":{\"datasetId\":\"sbem-cortex\",\"roi\":{\"x\":4000,\"y\":0,\"z\":0,\"width\":512,"
                + "\"height\":512,\"depth\":1}}" + model), 422, "roi: the region");
        problem(estimate("{\"input\":{\"datasetId\":\"sbem-cortex\",\"roi\":{\"x\":0,\"y\":0,\"z\":0,\"width\":4096,"
                + "\"height\":3072,\"depth\":400}}" + model), 413, "more than a preview takes");
        problem(http.post().uri("/api/v1/jobs/estimate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"input\":{\"uploadId\":\"u-a\"}" + model).exchange(), 401, "token");
    }

    @Test
    void estimateWhileTheCatalogueIsDownIs503NamingIt() {
        when(jobs.pastRuns(anyString(), anyInt()))
                .thenThrow(new UncheckedIOException("job search failed", new ConnectException("Connection refused")));

        problem(estimate("{\"input\":{\"uploadId\":\"u-a\"},\"models\":[\"mito-sbem-2d\"]}"), 503, "OpenSearch");
    }

    private static ModelDescription mito2d() throws Exception {
        return ModelDescriptionParser.parse(new ByteArrayInputStream(Files.readAllBytes(ZOO.resolve("mito-sbem-2d/bioimageio.yaml"))));
    }

    private WebTestClient.ResponseSpec near(String query) {
        return http.get().uri("/api/v1/jobs" + query).header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange();
    }

    private WebTestClient.ResponseSpec estimate(String json) {
        return estimate("token-a", json);
    }

    private WebTestClient.ResponseSpec estimate(String token, String json) {
        return http.post().uri("/api/v1/jobs/estimate").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    /** Asserts a problem+json answer with this status whose detail mentions {@code named}. */
    private static WebTestClient.ResponseSpec problem(WebTestClient.ResponseSpec spec, int status, String named) {
        JsonNode p = spec.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asString()).contains(named);
        return spec;
    }
}
