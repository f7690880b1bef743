package org.zooscope.gateway.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.DatasetLayer;
import org.zooscope.core.dataset.DatasetWriter;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.Topics;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.zarr.OmeZarr;
import org.zooscope.gateway.security.Hashes;
import org.zooscope.gateway.testing.GatewayTests;
import org.zooscope.catalog.search.DatasetSearch;
import org.zooscope.catalog.search.ModelSearch;
import tools.jackson.databind.JsonNode;

/**
 * The hosted-dataset API over HTTP through the whole WebFlux stack, with S3 in memory and Kafka and OpenSearch mocked:
 * cards, regions, tiles and ingests, and every bad request as a problem+json that says what was wrong.
 */
@Import(GatewayTests.InMemoryStore.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "zooscope.api-tokens=token-a,curator-token",
        "zooscope.datasets.curator-tokens=curator-token",
        "zooscope.datasets.max-region-bytes=1MB",
        "spring.kafka.listener.auto-startup=false"})
class DatasetApiTest {
    private static final String ID = "test-volume";
    private static final int W = 600;
    private static final int H = 300;
    private static final int D = 3;

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    WebTestClient http;
    @Autowired
    ObjectStore store;
    @MockitoBean
    ModelSearch models;
    @MockitoBean
    DatasetSearch search;
    @MockitoBean
    KafkaTemplate<String, byte[]> kafka;
    @TempDir
    Path tmp;

    static float[] plane(int z, int w, int h) {
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = 100 + (x * 7 + y * 13 + z * 1000) % 4000;
            }
        }
        return p;
    }

    static DatasetWriter.Slices slices(int w, int h, int d) {
        return new DatasetWriter.Slices() {
            public int width() {
                return w;
            }

            public int height() {
                return h;
            }

            public int depth() {
                return d;
            }

            public DataType dataType() {
                return DataType.UINT16;
            }

            public VoxelSize voxelSize() {
                return new VoxelSize(5.9, 5.9, 40, "nm");
            }

            public double min() {
                return 100;
            }

            public double max() {
                return 4099;
            }

            public float[] slice(int z) {
                return plane(z, w, h);
            }
        };
    }

    @BeforeEach
    void dataset() throws IOException {
        http = GatewayTests.client(port);
        when(kafka.send(anyString(), anyString(), any(byte[].class))).thenReturn(CompletableFuture.completedFuture(null));
        if (store.size(DatasetKeys.card(ID)).isPresent()) {
            return;
        }
        new DatasetWriter(store).write(new DatasetCard(ID, "Test volume", "a pattern", "SBEM", "mouse", 0, 0, 0, null,
                null, 0, "CC0", "nobody", "a test", null, null), slices(W, H, D), z -> { });
        // a full run's layer: probability = x / W
        String image = DatasetKeys.layerImage(ID, "j-1", "mitochondria");
        List<float[]> probs = new ArrayList<>();
        for (int z = 0; z < D; z++) {
            float[] p = new float[W * H];
            for (int i = 0; i < p.length; i++) {
                p[i] = (i % W) / (float) W;
            }
            probs.add(p);
        }
        OmeZarr.writeImage(new FloatVolume(W, H, probs, DataType.FLOAT32, VoxelSize.unknown()),
                (k, b) -> store.put(image + "/" + k, b, "application/octet-stream"), OmeZarr.Options.float32("p"));
        store.put(DatasetKeys.layerRecord(ID, "j-1"), EventJson.toBytes(new DatasetLayer("j-1", ID,
                List.of("membranes", "mitochondria"), List.of("mito-sbem-2d@0.2.0"), 0.5, Instant.now(),
                Map.of("mitochondria", image), Map.of())), "application/json");
    }

    // ---------------------------------------------------------------- reading

    @Test
    void cardHasItsShapeLayersAndDefaultContrast() {
        JsonNode card = http.get().uri("/api/v1/datasets/" + ID).exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(card.get("id").asString()).isEqualTo(ID);
        assertThat(card.get("width").asInt()).isEqualTo(W);
        assertThat(card.get("depth").asInt()).isEqualTo(D);
        assertThat(card.get("dtype").asString()).isEqualTo("uint16");
        assertThat(card.get("levels").asInt()).isEqualTo(3);
        assertThat(card.get("voxelSize").get("unit").asString()).isEqualTo("nm");
        assertThat(card.has("ownerHash")).isFalse();
        double min = card.get("display").get("min").asDouble();
        double max = card.get("display").get("max").asDouble();
        assertThat(min).isBetween(100.0, 200.0);
        assertThat(max).isBetween(3900.0, 4100.0);
        JsonNode layer = card.get("layers").get(0);
        assertThat(layer.get("jobId").asString()).isEqualTo("j-1");
        // membranes is named but has no image: only mitochondria is shown, in its colour (second structure)
        assertThat(layer.get("structures")).hasSize(1);
        assertThat(layer.get("structures").get(0).get("colour").asString()).isEqualTo("#ff00ff");
    }

    @Test
    void listAddsTheLayersToTheSearchHits() {
        when(search.search(any())).thenReturn(new DatasetSearch.Result(List.of(Map.of("id", ID, "name", "Test volume")),
                1, Map.of()));

        JsonNode list = http.get().uri("/api/v1/datasets?q=test&modality=SBEM").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(list.get("total").asInt()).isEqualTo(1);
        assertThat(list.get("items").get(0).get("layers").get(0).get("jobId").asString()).isEqualTo("j-1");
        problem(http.get().uri("/api/v1/datasets?size=0").exchange(), 400, "size");
    }

    @Test
    void unknownDatasetsAreNotFound() {
        problem(http.get().uri("/api/v1/datasets/no-such-set").exchange(), 404, "no-such-set");
        problem(http.get().uri("/api/v1/datasets/No_Such").exchange(), 404, "No_Such");
        problem(http.get().uri("/api/v1/datasets/no-such-set/region.tif?x=0&y=0&z=0&width=1&height=1&depth=1").exchange(),
                404, "no-such-set");
        problem(http.get().uri("/api/v1/datasets/no-such-set/tiles/0/0/0_0.png").exchange(), 404, "no-such-set");
    }

    @Test
    void regionIsTheRawVoxelsAsATiff() throws Exception {
        byte[] tif = http.get().uri("/api/v1/datasets/" + ID + "/region.tif?x=250&y=100&z=1&width=300&height=150&depth=2")
                .exchange().expectStatus().isOk().expectHeader().contentType("image/tiff")
                .expectHeader().valueMatches(HttpHeaders.CONTENT_DISPOSITION, ".*test-volume-x250-y100-z1-300x150x2.tif.*")
                .expectBody(byte[].class).returnResult().getResponseBody();

        Path f = tmp.resolve("r.tif");
        Files.write(f, tif);
        Volume v = VolumeReader.read(f, ReadLimits.defaults());
        assertThat(v.dataType()).isEqualTo(DataType.UINT16);
        assertThat(new int[] {v.width(), v.height(), v.depth()}).containsExactly(300, 150, 2);
        // TIFF keeps x and y as a rational: 5.9 within 1e-8
        assertThat(v.voxelSize().x()).isCloseTo(5.9, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(v.voxelSize().z()).isEqualTo(40.0);
        assertThat(v.voxelSize().unit()).isEqualTo("nm");
        float[] got = new float[300 * 150];
        for (int dz = 0; dz < 2; dz++) {
            v.copyPlane(dz, got);
            float[] src = plane(1 + dz, W, H);
            for (int y = 0; y < 150; y++) {
                for (int x = 0; x < 300; x++) {
                    assertThat(got[y * 300 + x]).isEqualTo(src[(100 + y) * W + 250 + x]);
                }
            }
        }
    }

    @Test
    void badRegionsSayWhatIsWrong() {
        String base = "/api/v1/datasets/" + ID + "/region.tif";
        problem(http.get().uri(base + "?x=0&y=0&z=0&width=10").exchange(), 400, "missing: height, depth");
        problem(http.get().uri(base + "?x=a&y=0&z=0&width=10&height=1&depth=1").exchange(), 400, "");
        problem(http.get().uri(base + "?x=590&y=0&z=0&width=20&height=1&depth=1").exchange(), 422, "outside the volume");
        problem(http.get().uri(base + "?x=0&y=0&z=2&width=1&height=1&depth=2").exchange(), 422, "outside the volume");
        problem(http.get().uri(base + "?x=0&y=0&z=0&width=0&height=1&depth=1").exchange(), 422, "empty");
        // 600 x 300 x 3 x 2 bytes = 1,080,000 > 1 MiB
        problem(http.get().uri(base + "?x=0&y=0&z=0&width=600&height=300&depth=3").exchange(), 413,
                "1080000 bytes of uint16 voxels, over the limit of 1048576 bytes");
    }

    @Test
    void tilesArePngChunksCroppedAtTheEdgeAndCached() throws IOException {
        String uri = "/api/v1/datasets/" + ID + "/tiles/1/0/2_1.png";
        var result = http.get().uri(uri).exchange().expectStatus().isOk().expectHeader().contentType(MediaType.IMAGE_PNG)
                .expectHeader().valueMatches(HttpHeaders.CACHE_CONTROL, "max-age=86400, public")
                .expectBody(byte[].class).returnResult();
        String etag = result.getResponseHeaders().getETag();

        BufferedImage tile = ImageIO.read(new ByteArrayInputStream(result.getResponseBody()));
        assertThat(tile.getWidth()).isEqualTo(W - 512);
        assertThat(tile.getHeight()).isEqualTo(H - 256);
        // contrast: [min, max] of the request maps to 0..255
        BufferedImage full = png(http.get().uri("/api/v1/datasets/" + ID + "/tiles/0/0/0_0.png?min=100&max=4099"));
        assertThat(full.getWidth()).isEqualTo(256);
        assertThat(full.getRaster().getSample(0, 0, 0)).isEqualTo(0);
        float v = plane(0, W, H)[10 * W + 20];
        assertThat(full.getRaster().getSample(20, 10, 0)).isEqualTo((int) Math.round((v - 100) * 255.0 / 3999));
        // level 2 is 150 x 75: one tile
        assertThat(png(http.get().uri("/api/v1/datasets/" + ID + "/tiles/0/2/0_0.png")).getWidth()).isEqualTo(150);

        http.get().uri(uri).header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified();
        problem(http.get().uri("/api/v1/datasets/" + ID + "/tiles/0/0/3_0.png").exchange(), 404, "tile 3_0");
        problem(http.get().uri("/api/v1/datasets/" + ID + "/tiles/0/3/0_0.png").exchange(), 404, "level 3");
        problem(http.get().uri("/api/v1/datasets/" + ID + "/tiles/3/0/0_0.png").exchange(), 404, "slice 3");
        problem(http.get().uri("/api/v1/datasets/" + ID + "/tiles/0/0/0-0.png").exchange(), 404, "0-0.png");
        problem(http.get().uri("/api/v1/datasets/" + ID + "/tiles/0/0/0_0.png?min=5&max=5").exchange(), 400, "min < max");
    }

    @Test
    void layerTilesAreTheStructuresColourWithProbabilityAsAlpha() throws IOException {
        BufferedImage t = png(http.get().uri("/api/v1/datasets/" + ID + "/layers/j-1/mitochondria/tiles/0/0/1_0.png"));

        assertThat(t.getColorModel().hasAlpha()).isTrue();
        int x = 300 - 256; // probability 300 / 600 = 0.5
        int argb = t.getRGB(x, 5);
        assertThat(argb & 0xFFFFFF).isEqualTo(0xFF00FF);
        assertThat(argb >>> 24).isEqualTo(128);
        // below 0.1: transparent
        BufferedImage first = png(http.get().uri("/api/v1/datasets/" + ID + "/layers/j-1/mitochondria/tiles/0/0/0_0.png"));
        assertThat(first.getRGB(30, 5) >>> 24).isZero();
        problem(http.get().uri("/api/v1/datasets/" + ID + "/layers/j-2/mitochondria/tiles/0/0/0_0.png").exchange(), 404,
                "no layer 'j-2'");
        problem(http.get().uri("/api/v1/datasets/" + ID + "/layers/j-1/membranes/tiles/0/0/0_0.png").exchange(), 404,
                "no structure 'membranes'");
    }

    // ---------------------------------------------------------------- ingest

    private String storedUpload(String owner, boolean complete) {
        String id = "u-" + Long.toHexString(System.nanoTime());
        List<String> keys = new ArrayList<>();
        for (int z = 0; z < 2; z++) {
            keys.add(StorageKeys.Uploads.plane(id, z));
            if (complete || z == 0) {
                store.put(keys.get(z), PlaneCodec.encode(plane(z, 64, 48)), "application/octet-stream");
            }
        }
        store.put(StorageKeys.Uploads.volume(id), EventJson.toBytes(new UploadedVolume(id, Hashes.sha256(owner), 64, 48, 2,
                "uint16", 100, 4099, null, null, null, null, keys, List.of("stack.tif"), 1000, Instant.now())),
                "application/json");
        return id;
    }

    private WebTestClient.ResponseSpec ingest(String token, String json) {
        var req = http.post().uri("/api/v1/datasets").contentType(MediaType.APPLICATION_JSON);
        if (token != null) {
            req = req.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return req.bodyValue(json).exchange();
    }

    @Test
    void aCuratorIngestsAnUploadInTheBackground() {
        String upload = storedUpload("curator-token", true);

        JsonNode accepted = ingest("curator-token", "{\"uploadId\": \"" + upload + "\", \"name\": \"Ingested Stack #1\","
                + " \"modality\": \"SBEM\", \"voxelSize\": {\"x\": 6, \"y\": 6, \"z\": 30, \"unit\": \"nm\"}}")
                .expectStatus().isAccepted().expectHeader().location("/api/v1/datasets/ingested-stack-1/ingest")
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(accepted.get("id").asString()).isEqualTo("ingested-stack-1");
        assertThat(accepted.get("state").asString()).isIn("INGESTING", "SUCCEEDED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(http.get()
                .uri("/api/v1/datasets/ingested-stack-1/ingest").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("state").asString()).isEqualTo("SUCCEEDED"));
        verify(kafka).send(eq(Topics.DATASETS_REGISTERED.name()), eq("ingested-stack-1"), any(byte[].class));
        JsonNode card = http.get().uri("/api/v1/datasets/ingested-stack-1").exchange().expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(card.get("voxelSize").get("z").asDouble()).isEqualTo(30.0);
        assertThat(card.get("source").asString()).contains("stack.tif");

        // the same id again
        problem(ingest("curator-token", "{\"uploadId\": \"" + upload + "\", \"name\": \"Ingested Stack #1\"}"), 409,
                "ingested-stack-1");
    }

    @Test
    void aFailedIngestLeavesNothingAndSaysWhy() {
        String upload = storedUpload("curator-token", false);

        ingest("curator-token", "{\"uploadId\": \"" + upload + "\", \"id\": \"half-stack\", \"name\": \"Half\"}")
                .expectStatus().isAccepted();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode s = http.get().uri("/api/v1/datasets/half-stack/ingest").exchange().expectStatus().isOk()
                    .expectBody(JsonNode.class).returnResult().getResponseBody();
            assertThat(s.get("state").asString()).isEqualTo("FAILED");
            assertThat(s.get("error").asString()).contains(StorageKeys.Uploads.plane(upload, 1));
        });
        assertThat(store.list(DatasetKeys.prefix("half-stack"))).isEmpty();
        problem(http.get().uri("/api/v1/datasets/half-stack").exchange(), 404, "half-stack");
    }

    @Test
    void ingestRefusesWhatItCannotDo() {
        String mine = storedUpload("curator-token", true);
        String others = storedUpload("token-a", true);

        problem(ingest(null, "{\"uploadId\": \"" + mine + "\", \"name\": \"x\"}"), 401, "API token");
        problem(ingest("token-a", "{\"uploadId\": \"" + others + "\", \"name\": \"x\"}"), 403, "curator");
        problem(ingest("curator-token", "{\"name\": \"x\"}"), 400, "uploadId");
        problem(ingest("curator-token", "{\"uploadId\": \"" + mine + "\"}"), 400, "name");
        problem(ingest("curator-token", "{\"uploadId\": \"" + mine + "\", \"name\": \"x\", \"id\": \"Bad_Id\"}"), 400,
                "Bad_Id");
        problem(ingest("curator-token", "{\"uploadId\": \"" + mine + "\", \"name\": \"***\"}"), 400, "***");
        problem(ingest("curator-token", "{\"uploadId\": \"" + mine + "\", \"name\": \"x\", \"voxelSize\": {\"x\": 1}}"),
                400, "voxelSize");
        problem(ingest("curator-token", "{\"uploadId\": \"u-0000\", \"name\": \"x\"}"), 422, "u-0000");
        // someone else's upload reads as missing
        problem(ingest("curator-token", "{\"uploadId\": \"" + others + "\", \"name\": \"x\"}"), 422, others);
        problem(ingest("curator-token", "{\"uploadId\": \"" + mine + "\", \"name\": \"x\", \"id\": \"" + ID + "\"}"),
                409, ID);
        problem(http.get().uri("/api/v1/datasets/never-ingested/ingest").exchange(), 404, "never-ingested");
        assertThat(DatasetIngestController.idFrom("Souris — Cortex, été 2026")).isEqualTo("souris-cortex-ete-2026");
    }

    private static BufferedImage png(WebTestClient.RequestHeadersSpec<?> req) throws IOException {
        byte[] b = req.exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        return ImageIO.read(new ByteArrayInputStream(b));
    }

    private static void problem(WebTestClient.ResponseSpec spec, int status, String named) {
        JsonNode p = spec.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asString()).contains(named);
    }
}
