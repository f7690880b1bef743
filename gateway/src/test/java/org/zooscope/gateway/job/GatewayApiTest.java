package org.zooscope.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import tools.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Flux;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.security.Hashes;
import org.zooscope.gateway.testing.GatewayTests;
import org.zooscope.catalog.search.ModelSearch;

/**
 * Every endpoint over HTTP through the whole WebFlux stack, with S3 replaced by the in-memory store and Kafka and
 * OpenSearch by mocks (no server runs): the good path and each bad input, which must be a 4xx problem+json whose
 * detail names the input, after which the server keeps serving.
 */
@Import(GatewayTests.InMemoryStore.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // these tests submit many jobs with one token that never end (no job-stream): quotas have QuotaTest
        "zooscope.limits.running-jobs=1000",
        "zooscope.api-tokens=token-a,token-b",
        "zooscope.upload.max-files=3",
        "zooscope.upload.max-bytes=300KB",
        "spring.webflux.multipart.max-disk-usage-per-part=300KB",
        "zooscope.upload.max-decoded-bytes=1000000",
        "zooscope.heartbeat=200ms",
        "spring.kafka.listener.auto-startup=false"})
@AutoConfigureWebTestClient(timeout = "PT30S")
class GatewayApiTest {
    private static final Path SAMPLES = createSamples();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("zooscope.samples-dir", SAMPLES::toString);
        r.add("zooscope.upload.temp-dir", () -> SAMPLES.resolveSibling("uploads").toString());
    }


    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    WebTestClient http;
    @Autowired
    ObjectStore store;
    @Autowired
    JobStatusCache statuses;
    @Autowired
    org.zooscope.gateway.security.SessionCookies sessionCookies;
    @MockitoBean
    ModelSearch models;
    @MockitoBean
    KafkaTemplate<String, byte[]> kafka;

    @BeforeEach
    void client() {
        http = GatewayTests.client(port);
    }

    @BeforeEach
    void collaborators() throws Exception {
        when(models.get(anyString())).thenReturn(Optional.empty());
        when(models.get("skeleton-smooth")).thenReturn(Optional.of(Map.of("id", "skeleton-smooth", "name", "Skeleton",
                "published", true)));
        // someone else's private upload to the zoo
        when(models.get("private-model")).thenReturn(Optional.of(Map.of("id", "private-model", "published", false,
                "owner", "hash-of-someone-else")));
        when(models.search(any())).thenReturn(new ModelSearch.Result(List.of(Map.of("id", "skeleton-smooth")), 1,
                Map.of("component", Map.of("membrane", 1L))));
        when(kafka.send(anyString(), anyString(), any(byte[].class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    // ---------------------------------------------------------------- uploads

    @Test
    void uploadsAPngAndSniffsItsTypeFromContentNotName() throws IOException {
        JsonNode up = upload("token-a", part("cells.dat", png(64, 48))).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(up.get("width").asInt()).isEqualTo(64);
        assertThat(up.get("height").asInt()).isEqualTo(48);
        assertThat(up.get("depth").asInt()).isEqualTo(1);
        // decoded once into its own type, the PNG itself not kept
        assertThat(store.list("uploads/" + up.get("id").asString() + "/")).containsExactly(
                "uploads/" + up.get("id").asString() + "/planes/0.uint8le",
                "uploads/" + up.get("id").asString() + "/volume.json");
    }

    @Test
    void aPlainTiffIsStoredOnceAsSentAndItsPlanesReadWhereTheyLie() throws Exception {
        // given a 16-bit uncompressed stack
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < 3; z++) {
            float[] p = new float[64 * 48];
            for (int i = 0; i < p.length; i++) {
                p[i] = (i * 31 + z * 1000) % 65536;
            }
            planes.add(p);
        }
        ByteArrayOutputStream tif = new ByteArrayOutputStream();
        TiffWriter.write(new FloatVolume(64, 48, planes, DataType.UINT16, VoxelSize.unknown()), tif, DataType.UINT16,
                TiffWriter.Compression.NONE);

        // when it is uploaded
        JsonNode up = upload("token-a", part("stack.tif", tif.toByteArray())).expectStatus().isCreated()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        // then the store holds the file as sent and the description, nothing decoded beside them
        String id = up.get("id").asString();
        assertThat(store.sizes("uploads/" + id + "/")).containsOnlyKeys("uploads/" + id + "/source/0-stack.tif",
                "uploads/" + id + "/volume.json").containsEntry("uploads/" + id + "/source/0-stack.tif", (long) tif.size());
        UploadedVolume v = EventJson.fromBytes(store.get("uploads/" + id + "/volume.json"), UploadedVolume.class);
        assertThat(v.planeEncoding()).isEqualTo("uint16le");
        assertThat(v.min()).isZero();
        assertThat(v.max()).isEqualTo(planes.stream().flatMap(p -> java.util.stream.IntStream.range(0, p.length)
                .mapToObj(i -> (double) p[i])).max(Double::compare).orElseThrow());
        for (int z = 0; z < 3; z++) {
            assertThat(org.zooscope.core.store.UploadPlanes.read(store, v, z)).as("plane %d", z).containsExactly(planes.get(z));
        }
        http.get().uri("/api/v1/uploads/" + id + "/slices/2.png").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .exchange().expectStatus().isOk().expectHeader().contentType(MediaType.IMAGE_PNG);
    }

    @Test
    void severalFilesAreSlicesInOrder() throws IOException {
        JsonNode up = upload("token-a", part("z1.png", png(32, 32)), part("z2.png", png(32, 32)))
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(up.get("depth").asInt()).isEqualTo(2);
    }

    @Test
    void refusesATextFileNamedLikeAnImage() {
        problem(upload("token-a", part("image.png", "hello, not an image".getBytes(StandardCharsets.UTF_8))), 415, "image.png");
    }

    @Test
    void refusesAnEmptyFile() {
        problem(upload("token-a", part("empty.tif", new byte[0])), 400, "empty.tif");
    }

    @Test
    void refusesACorruptImage() throws IOException {
        byte[] png = png(64, 64);
        byte[] cut = java.util.Arrays.copyOf(png, 60);
        problem(upload("token-a", part("cut.png", cut)), 422, "cut.png");
    }

    @Test
    void refusesAnUploadOverTheByteLimitBeforeReadingIt() {
        problem(upload("token-a", part("big.tif", new byte[400 * 1024])), 413, "larger than this server accepts");
    }

    @Test
    void aChunkedUploadOverTheLimitIsStoppedWhileStreamingAndLeavesNothing() {
        int before = store.list("uploads/").size();
        // no Content-Length: the limit can only be enforced on the bytes as they arrive
        Flux<DataBuffer> chunks = Flux.range(0, 40).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[10 * 1024]));
        MultipartBodyBuilder b = new MultipartBodyBuilder();
        b.asyncPart("file", chunks, DataBuffer.class).filename("stream.tif").contentType(MediaType.APPLICATION_OCTET_STREAM);
        problem(http.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange(),
                413, "larger than this server accepts");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(store.list("uploads/")).hasSize(before));
    }

    @Test
    void aStackRefusedHalfWayLeavesNothingInTheStore() throws IOException {
        int before = store.list("uploads/").size();
        byte[] cut = java.util.Arrays.copyOf(png(64, 64), 60);
        problem(upload("token-a", part("z1.png", png(64, 64)), part("z2.png", cut)), 422, "z2.png");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(store.list("uploads/")).hasSize(before));
    }

    @Test
    void refusesAStackWhoseDecodedSizeIsOverTheLimit() throws IOException {
        problem(upload("token-a", part("wide.png", png(600, 600))), 413, "wide.png");
    }

    @Test
    void refusesTooManyFiles() throws IOException {
        byte[] p = png(16, 16);
        problem(upload("token-a", part("1.png", p), part("2.png", p), part("3.png", p), part("4.png", p)), 413, "too many files");
    }

    @Test
    void refusesAnUploadWithoutAFilePart() {
        MultipartBodyBuilder b = new MultipartBodyBuilder();
        b.part("other", "x");
        problem(http.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange(), 400, "'file'");
    }

    @Test
    void uploadsNeedATokenOrTheBrowserCookie() throws IOException {
        problem(upload(null, part("a.png", png(16, 16))), 401, "API token");
        problem(upload("wrong", part("a.png", png(16, 16))), 401, "not valid");
    }

    @Test
    void theBrowserGetsASignedCookieThatOwnsItsUploads() throws IOException {
        String cookie = http.get().uri("/").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .returnResult(String.class).getResponseCookies().getFirst("zs_session").getValue();
        MultipartBodyBuilder b = new MultipartBodyBuilder();
        b.part("file", new ByteArrayResource(png(16, 16)) {
            @Override
            public String getFilename() {
                return "a.png";
            }
        });
        http.post().uri("/api/v1/uploads").cookie("zs_session", cookie).contentType(MediaType.MULTIPART_FORM_DATA)
                .body(BodyInserters.fromMultipartData(b.build())).exchange().expectStatus().isCreated();
        // a forged cookie (someone else's id with a made-up signature) is no credential
        problem(http.post().uri("/api/v1/jobs").cookie("zs_session", cookie.substring(0, cookie.indexOf('.')) + ".forged")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange(), 401, "API token");
    }

    // ---------------------------------------------------------------- samples

    @Test
    void listsTheSamplesWithTheirAttributionAndMakesAnUploadFromOne() {
        http.get().uri("/api/v1/samples").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].name").isEqualTo("tiny.png")
                .jsonPath("$.items[0].width").isEqualTo(40)
                .jsonPath("$.items[0].description").isEqualTo("a tiny test image")
                .jsonPath("$.items[0].source").isEqualTo("made by the test");
        http.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"sample\":\"tiny.png\"}").exchange()
                .expectStatus().isCreated().expectBody().jsonPath("$.width").isEqualTo(40);
    }

    @Test
    void refusesAnUnknownSampleAndPathTricks() {
        for (String name : List.of("nope.tif", "../README.md", "README.md")) {
            problem(http.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"sample\":\"" + name + "\"}").exchange(), 404, name);
        }
    }

    // ---------------------------------------------------------------- jobs

    @Test
    void submitsAJobAndOnlyTheOwnerOrTheShareLinkSeesIt() throws IOException {
        String upload = uploadId("token-a");
        JsonNode job = submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}")
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = job.get("id").asString();
        String share = job.get("shareUrl").asString();
        assertThat(share).contains("/view/" + id + "?token=");
        String token = share.substring(share.indexOf("token=") + 6);

        http.get().uri("/api/v1/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("QUEUED")
                .jsonPath("$.notes").isArray();
        problem(http.get().uri("/api/v1/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer token-b").exchange(), 404, id);
        http.get().uri("/api/v1/jobs/" + id + "?token=" + token).exchange().expectStatus().isOk();
        problem(http.get().uri("/api/v1/jobs/" + id + "?token=guess").exchange(), 404, id);
        // someone else cannot cancel it, nor read its slices
        problem(http.delete().uri("/api/v1/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer token-b").exchange(), 404, id);
        problem(http.get().uri("/api/v1/jobs/" + id + "/slices/0.png?layer=input").header(HttpHeaders.AUTHORIZATION, "Bearer token-b").exchange(), 404, id);
        // the share link opens the read-only page
        http.get().uri("/view/" + id + "?token=" + token).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
    }

    @Test
    void refusesBadJobRequests() throws IOException {
        String upload = uploadId("token-a");
        problem(submit("token-a", "{\"input\": {\"uploadId\": "), 400, "not valid");
        problem(submit("token-a", "{\"models\":[\"skeleton-smooth\"]}"), 400, "input");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[]}"), 400, "models");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"no-such-model\"]}"), 404, "no-such-model");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"private-model\"]}"), 404, "private-model");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"],\"threshold\":2}"), 400, "threshold");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"],\"augmentation\":\"lots\"}"), 400, "lots");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"],\"rescale\":\"maybe\"}"), 400, "rescale");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"],\"voxelSize\":{\"x\":5,\"unit\":\"parsec\"}}"), 400, "voxelSize needs a length unit");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"],\"voxelSize\":{\"unit\":\"nm\"}}"), 400, "voxelSize.x is missing");
        problem(submit("token-a", "{\"input\":{\"uploadId\":\"u-missing\"},\"models\":[\"skeleton-smooth\"]}"), 404, "u-missing");
        // someone else's upload is as good as missing
        problem(submit("token-b", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}"), 404, upload);
        // and the server keeps serving
        http.get().uri("/api/v1/models").exchange().expectStatus().isOk().expectBody().jsonPath("$.total").isEqualTo(1);
    }

    @Test
    void aFinishedJobRendersSlicesStreamsRangesAndBundles() throws IOException {
        String id = finishedJob();
        String auth = "Bearer token-a";
        for (String layer : List.of("input", "probability", "overlay")) {
            byte[] png = http.get().uri("/api/v1/jobs/" + id + "/slices/1.png?layer=" + layer + "&threshold=0.3&opacity=0.7")
                    .header(HttpHeaders.AUTHORIZATION, auth).exchange().expectStatus().isOk()
                    .expectHeader().contentType(MediaType.IMAGE_PNG).expectBody(byte[].class).returnResult().getResponseBody();
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(img.getWidth()).as(layer).isEqualTo(32);
            assertThat(img.getHeight()).as(layer).isEqualTo(24);
        }
        problem(http.get().uri("/api/v1/jobs/" + id + "/slices/1.png?layer=xray").header(HttpHeaders.AUTHORIZATION, auth).exchange(), 400, "xray");
        problem(http.get().uri("/api/v1/jobs/" + id + "/slices/9.png").header(HttpHeaders.AUTHORIZATION, auth).exchange(), 404, "slice 9");
        problem(http.get().uri("/api/v1/jobs/" + id + "/slices/1.png?opacity=3").header(HttpHeaders.AUTHORIZATION, auth).exchange(), 400, "opacity");
        problem(http.get().uri("/api/v1/jobs/" + id + "/slices/1.png?model=other").header(HttpHeaders.AUTHORIZATION, auth).exchange(), 404, "other");

        http.get().uri("/api/v1/jobs/" + id + "/settings").header(HttpHeaders.AUTHORIZATION, auth).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.depth").isEqualTo(2).jsonPath("$.models[0]").isEqualTo("skeleton-smooth");

        byte[] whole = http.get().uri("/api/v1/jobs/" + id + "/results/probabilities.tif").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange().expectStatus().isOk().expectHeader().valueEquals(HttpHeaders.ACCEPT_RANGES, "bytes")
                .expectBody(byte[].class).returnResult().getResponseBody();
        byte[] part = http.get().uri("/api/v1/jobs/" + id + "/results/probabilities.tif").header(HttpHeaders.AUTHORIZATION, auth)
                .header(HttpHeaders.RANGE, "bytes=10-109").exchange().expectStatus().isEqualTo(206)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_RANGE, "bytes 10-109/" + whole.length)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(whole, 10, 110));
        http.get().uri("/api/v1/jobs/" + id + "/results/probabilities.tif").header(HttpHeaders.AUTHORIZATION, auth)
                .header(HttpHeaders.RANGE, "bytes=999999-").exchange().expectStatus().isEqualTo(416);
        problem(http.get().uri("/api/v1/jobs/" + id + "/results/nothing.tif").header(HttpHeaders.AUTHORIZATION, auth).exchange(), 404, "nothing.tif");

        byte[] zip = http.get().uri("/api/v1/jobs/" + id + "/results/bundle.zip").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        List<String> entries = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e.getName());
            }
        }
        assertThat(entries).contains("probabilities.tif", "request.json", "README.txt");

        String events = http.get().uri("/api/v1/jobs/" + id + "/events").header(HttpHeaders.AUTHORIZATION, auth)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseBody().collectList().block(java.time.Duration.ofSeconds(10)).toString();
        assertThat(events).contains("SUCCEEDED");
    }

    @Test
    void aTwoStructureResultShowsEachStructureInItsColourAndBundlesEveryFile() throws IOException {
        String id = twoStructureJob();
        String auth = "Bearer token-a";
        JsonNode settings = http.get().uri("/api/v1/jobs/" + id + "/settings").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(settings.at("/structures/0/name").asString()).isEqualTo("membranes");
        assertThat(settings.at("/structures/1/name").asString()).isEqualTo("mitochondria");
        assertThat(settings.at("/structures/1/models/0").asString()).isEqualTo("mito-model");
        assertThat(settings.at("/structures/0/colour").asString()).isNotEqualTo(settings.at("/structures/1/colour").asString());

        // left third: only membranes reach the threshold; right third: only mitochondria
        BufferedImage both = slice(id, "layer=overlay&opacity=1");
        int membrane = settings.at("/structures/0/rgb").asInt();
        int mito = settings.at("/structures/1/rgb").asInt();
        assertThat(both.getRGB(2, 5) & 0xFFFFFF).isEqualTo(membrane);
        assertThat(both.getRGB(29, 5) & 0xFFFFFF).isEqualTo(mito);
        BufferedImage onlyMembranes = slice(id, "layer=overlay&opacity=1&structures=membranes");
        assertThat(onlyMembranes.getRGB(2, 5) & 0xFFFFFF).isEqualTo(membrane);
        assertThat(onlyMembranes.getRGB(29, 5) & 0xFFFFFF).isNotEqualTo(mito);
        BufferedImage oneModel = slice(id, "layer=overlay&opacity=1&model=mito-model");
        assertThat(oneModel.getRGB(29, 5) & 0xFFFFFF).isEqualTo(mito);
        assertThat(oneModel.getRGB(2, 5) & 0xFFFFFF).isNotEqualTo(membrane);
        BufferedImage probabilities = slice(id, "layer=probability");
        assertThat((probabilities.getRGB(29, 5) >> 16) & 0xFF).as("mitochondria in red and blue").isGreaterThan(200);
        assertThat((probabilities.getRGB(2, 5) >> 8) & 0xFF).as("membranes in green").isGreaterThan(200);
        problem(http.get().uri("/api/v1/jobs/" + id + "/slices/0.png?structures=nuclei").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange(), 400, "nuclei");

        JsonNode list = http.get().uri("/api/v1/jobs/" + id + "/results").header(HttpHeaders.AUTHORIZATION, auth).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        Map<String, JsonNode> items = new java.util.LinkedHashMap<>();
        list.get("items").forEach(i -> items.put(i.get("name").asString(), i));
        assertThat(items.get("membranes/probabilities.tif").get("bytes").asLong())
                .isEqualTo(store.size("jobs/" + id + "/results/membranes/probabilities.tif").orElseThrow());
        assertThat(items.get("probabilities.ome.zarr").get("objects").asInt()).isEqualTo(5);
        // the overlays are not stored: listed without a size, rendered when opened, as the viewer's overlay layer
        assertThat(items.get("overlay/0.png").get("bytes").isNull()).isTrue();
        assertThat(items).doesNotContainKey("overlay/1.png");
        assertThat(store.list(prefixOf(id) + "overlay/")).isEmpty();
        byte[] overlay = http.get().uri("/api/v1/jobs/" + id + "/results/overlay/0.png").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange().expectStatus().isOk().expectHeader().contentType(MediaType.IMAGE_PNG)
                .expectBody(byte[].class).returnResult().getResponseBody();
        byte[] viewerLayer = http.get().uri("/api/v1/jobs/" + id + "/slices/0.png?layer=overlay&opacity=0.5")
                .header(HttpHeaders.AUTHORIZATION, auth).exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(overlay).isEqualTo(viewerLayer);
        BufferedImage overlaid = ImageIO.read(new ByteArrayInputStream(overlay));
        assertThat(overlaid.getRGB(29, 5)).as("mitochondria blended in").isNotEqualTo(overlaid.getRGB(15, 5));
        assertThat(overlaid.getRGB(2, 5)).as("membranes blended in").isNotEqualTo(overlaid.getRGB(15, 5));
        problem(http.get().uri("/api/v1/jobs/" + id + "/results/overlay/1.png").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange(), 404, "overlay/1.png");

        JsonNode zarr = http.get().uri("/api/v1/jobs/" + id + "/results/probabilities.ome.zarr").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(zarr.at("/images/membranes").asString()).endsWith("/results/probabilities.ome.zarr/membranes");
        http.get().uri("/api/v1/jobs/" + id + "/results/probabilities.ome.zarr/membranes/0/0/0/0").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange().expectStatus().isOk();

        byte[] zip = http.get().uri("/api/v1/jobs/" + id + "/results/bundle.zip").header(HttpHeaders.AUTHORIZATION, auth)
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        for (String stored : store.list("jobs/" + id + "/results/")) {
            String name = stored.substring(("jobs/" + id + "/results/").length());
            assertThat(entries).as(name).containsKey(name);
            assertThat(entries.get(name)).as(name).isEqualTo(store.get(stored));
        }
        assertThat(entries).containsKeys("request.json", "README.txt", "run.json", "mitochondria/measurements.csv");
        assertThat(entries.get("overlay/0.png")).as("rendered into the bundle").isEqualTo(overlay);

        // a result that is no longer stored is a clear answer before any byte of the zip, not a broken download
        store.deletePrefix("jobs/" + id + "/results/mitochondria/measurements.csv");
        problem(http.get().uri("/api/v1/jobs/" + id + "/results/bundle.zip").header(HttpHeaders.AUTHORIZATION, auth).exchange(),
                410, "mitochondria/measurements.csv");
    }

    @Test
    void anUploadIsShownBeforeComputingAndItsPixelSizeCanBeStated() throws IOException {
        String upload = uploadId("token-a", png(32, 24), png(32, 24));
        http.get().uri("/api/v1/uploads/" + upload).header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.depth").isEqualTo(2).jsonPath("$.voxelSize").doesNotExist();
        byte[] png = http.get().uri("/api/v1/uploads/" + upload + "/slices/1.png").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .exchange().expectStatus().isOk().expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(32);
        problem(http.get().uri("/api/v1/uploads/" + upload + "/slices/2.png").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .exchange(), 404, "slice 2");
        // a stranger sees nothing and changes nothing
        problem(http.get().uri("/api/v1/uploads/" + upload + "/slices/0.png").header(HttpHeaders.AUTHORIZATION, "Bearer token-b")
                .exchange(), 404, upload);
        problem(http.patch().uri("/api/v1/uploads/" + upload).header(HttpHeaders.AUTHORIZATION, "Bearer token-b")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"voxelSize\":{\"x\":4,\"z\":50,\"unit\":\"nm\"}}")
                .exchange(), 404, upload);
        problem(http.patch().uri("/api/v1/uploads/" + upload).header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"voxelSize\":{\"x\":4,\"unit\":\"parsec\"}}")
                .exchange(), 400, "parsec");
        problem(http.patch().uri("/api/v1/uploads/" + upload).header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"voxelSize\":{\"x\":-1,\"unit\":\"nm\"}}")
                .exchange(), 400, "voxel size");
        http.patch().uri("/api/v1/uploads/" + upload).header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"voxelSize\":{\"x\":4,\"z\":50,\"unit\":\"nanometre\"}}")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.voxelSize.unit").isEqualTo("nm");
        http.get().uri("/api/v1/uploads/" + upload).header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.voxelSize.x").isEqualTo(4.0)
                .jsonPath("$.voxelSize.y").isEqualTo(4.0).jsonPath("$.voxelSize.z").isEqualTo(50.0);
    }

    @Test
    void aFiveMegabyteJsonBodyIsAClear413AndTheServerKeepsServing() {
        String huge = "{\"input\":{\"uploadId\":\"" + "x".repeat(5 * 1024 * 1024) + "\"},\"models\":[\"skeleton-smooth\"]}";
        problem(http.post().uri("/api/v1/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(huge).exchange(), 413, "at most 262144 bytes");
        http.get().uri("/api/v1/models").exchange().expectStatus().isOk();
    }

    @Test
    void aShareLinkCanBeRevokedAndReplaced() throws IOException {
        String upload = uploadId("token-a");
        JsonNode submitted = submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}")
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String id = submitted.get("id").asString();
        String first = submitted.get("shareUrl").asString().replaceAll(".*token=", "");
        http.get().uri("/api/v1/jobs/" + id + "?token=" + first).exchange().expectStatus().isOk();

        http.delete().uri("/api/v1/jobs/" + id + "/share").header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.shareUrl").doesNotExist();
        problem(http.get().uri("/api/v1/jobs/" + id + "?token=" + first).exchange(), 404, id);

        String second = http.post().uri("/api/v1/jobs/" + id + "/share").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("shareUrl").asString().replaceAll(".*token=", "");
        assertThat(second).isNotEqualTo(first);
        http.get().uri("/api/v1/jobs/" + id + "?token=" + second).exchange().expectStatus().isOk();
        problem(http.get().uri("/api/v1/jobs/" + id + "?token=" + first).exchange(), 404, id);
        // the owner still sees it, a stranger cannot revoke it
        http.get().uri("/api/v1/jobs/" + id).header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange().expectStatus().isOk();
        problem(http.delete().uri("/api/v1/jobs/" + id + "/share").header(HttpHeaders.AUTHORIZATION, "Bearer token-b").exchange(),
                404, id);
        http.get().uri("/api/v1/jobs/" + id + "?token=" + second).exchange().expectStatus().isOk();
    }

    @Test
    void whileTheCatalogueIsDownTheLastAnswerToASearchIsServedMarkedStale() {
        http.get().uri("/api/v1/models?q=skeleton").exchange().expectStatus().isOk().expectBody().jsonPath("$.stale").doesNotExist();
        when(models.search(any())).thenThrow(new java.io.UncheckedIOException("model search failed",
                new java.net.ConnectException("Connection refused")));
        http.get().uri("/api/v1/models?q=skeleton").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.stale").isEqualTo(true).jsonPath("$.items[0].id").isEqualTo("skeleton-smooth");
        // a search never answered before has nothing to fall back on
        http.get().uri("/api/v1/models?q=never-asked").exchange().expectStatus().isEqualTo(503);
    }

    @Test
    void anUnreachableCatalogueIsA503ThatSaysWhatIsDownAndWhenToComeBack() {
        when(models.search(any())).thenThrow(new java.io.UncheckedIOException("model search failed",
                new java.net.ConnectException("Connection refused")));
        var r = http.get().uri("/api/v1/models?q=mitochondria-never-searched").exchange().expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "30");
        JsonNode p = r.expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(p.get("detail").asString()).contains("model catalogue").contains("nothing was lost");
    }

    @Test
    void theBrowserCanActAsItsApiTokenSoTheTokensJobsShowInThePage() throws IOException {
        String id = finishedJob(); // made with token-a from a terminal
        String cookie = http.post().uri("/api/v1/session").header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange()
                .expectStatus().isOk().returnResult(String.class).getResponseCookies().getFirst("zs_session").getValue();
        http.get().uri("/api/v1/jobs/" + id).cookie("zs_session", cookie).exchange().expectStatus().isOk();
        http.get().uri("/api/v1/session").cookie("zs_session", cookie).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.identity").isEqualTo("api-token");
        // a plain browser session is somebody else, and a tampered bound cookie is nobody
        String anonymous = http.get().uri("/").exchange().returnResult(String.class).getResponseCookies()
                .getFirst("zs_session").getValue();
        problem(http.get().uri("/api/v1/jobs/" + id).cookie("zs_session", anonymous).exchange(), 404, id);
        String forged = "@" + Hashes.sha256("token-b") + cookie.substring(cookie.indexOf('.'));
        http.get().uri("/api/v1/jobs/" + id).cookie("zs_session", forged).exchange().expectStatus().isUnauthorized();
        problem(http.post().uri("/api/v1/session").cookie("zs_session", anonymous).exchange(), 400, "Bearer");
        // a correctly signed cookie bound to a token the server no longer accepts is no credential either
        String withdrawn = sessionCookies.issueFor(Hashes.sha256("token-withdrawn")).getValue();
        http.get().uri("/api/v1/jobs/" + id).cookie("zs_session", withdrawn).exchange().expectStatus().isUnauthorized();
    }

    @Test
    void slicesOfAJobStillRunningOfferOnlyTheInput() throws IOException {
        String upload = uploadId("token-a");
        String id = submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}")
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        http.get().uri("/api/v1/jobs/" + id + "/slices/0.png?layer=input").header(HttpHeaders.AUTHORIZATION, "Bearer token-a")
                .exchange().expectStatus().isOk();
        problem(http.get().uri("/api/v1/jobs/" + id + "/slices/0.png?layer=overlay").header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange(), 409, "QUEUED");
        problem(http.get().uri("/api/v1/jobs/" + id + "/results/bundle.zip").header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange(), 409, "QUEUED");
    }

    // ---------------------------------------------------------------- the rest

    @Test
    void servesOpenApiMetricsAndProblemJsonForUnknownPaths() {
        http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody().jsonPath("$.paths['/api/v1/uploads']").exists();
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        http.get().uri("/api/v1/models?dims=").exchange().expectStatus().isOk();
        http.get().uri("/app.js").exchange().expectStatus().isOk();
    }

    // ---------------------------------------------------------------- helpers

    private String finishedJob() throws IOException {
        String upload = uploadId("token-a", png(32, 24), png(32, 24));
        String id = submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}")
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        float[][] planes = new float[2][32 * 24];
        for (int i = 0; i < planes[0].length; i++) {
            planes[0][i] = (i % 32) / 32f;
            planes[1][i] = 1 - (i % 32) / 32f;
        }
        ByteArrayOutputStream tif = new ByteArrayOutputStream();
        TiffWriter.writeFloat32(new FloatVolume(32, 24, List.of(planes), DataType.FLOAT32, VoxelSize.unknown()), tif);
        String key = "jobs/" + id + "/results/probabilities.tif";
        store.put(key, tif.toByteArray(), "image/tiff");
        JobStatus queued = statuses.get(id).orElseThrow();
        statuses.update(new JobStatus(id, JobState.SUCCEEDED, 1, "done", null, queued.submittedAt(), Instant.now(),
                Instant.now(), null, Map.of("probabilities.tif", key), queued.models(), queued.ownerHash(),
                queued.shareTokenHash(), 0.0));
        return id;
    }

    private static String prefixOf(String jobId) {
        return "jobs/" + jobId + "/results/";
    }

    private BufferedImage slice(String id, String query) throws IOException {
        byte[] png = http.get().uri("/api/v1/jobs/" + id + "/slices/0.png?" + query)
                .header(HttpHeaders.AUTHORIZATION, "Bearer token-a").exchange().expectStatus().isOk()
                .expectBody(byte[].class).returnResult().getResponseBody();
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    /** A finished job of two models for two structures, stored as job-stream's assembly stores it. */
    private String twoStructureJob() throws IOException {
        String upload = uploadId("token-a", png(32, 24));
        String id = submit("token-a", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}")
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        String prefix = "jobs/" + id + "/results/";
        float[] membranes = new float[32 * 24];
        float[] mito = new float[32 * 24];
        for (int i = 0; i < membranes.length; i++) {
            membranes[i] = i % 32 < 10 ? 0.9f : 0.1f;
            mito[i] = i % 32 >= 22 ? 0.95f : 0.05f;
        }
        Map<String, String> results = new java.util.LinkedHashMap<>();
        for (var e : Map.of("membranes/probabilities.tif", membranes, "mitochondria/probabilities.tif", mito,
                "models/mito-model/probabilities.tif", mito).entrySet()) {
            ByteArrayOutputStream tif = new ByteArrayOutputStream();
            TiffWriter.writeFloat32(new FloatVolume(32, 24, List.of(e.getValue()), DataType.FLOAT32, VoxelSize.unknown()), tif);
            store.put(prefix + e.getKey(), tif.toByteArray(), "image/tiff");
            results.put(e.getKey(), prefix + e.getKey());
        }
        results.put("probabilities.tif", prefix + "membranes/probabilities.tif");
        store.put(prefix + "mitochondria/measurements.csv", "id,voxels\n1,48\n".getBytes(StandardCharsets.UTF_8), "text/csv");
        results.put("mitochondria/measurements.csv", prefix + "mitochondria/measurements.csv");
        store.put(prefix + "run.json", ("{\"structures\":{\"membranes\":[\"skeleton-smooth\"],"
                + "\"mitochondria\":[\"mito-model\"]}}").getBytes(StandardCharsets.UTF_8), "application/json");
        results.put("run.json", prefix + "run.json");
        for (String k : List.of(".zgroup", ".zattrs", "membranes/.zattrs", "membranes/0/.zarray", "membranes/0/0/0/0")) {
            store.put(prefix + "probabilities.ome.zarr/" + k, ("{\"k\":\"" + k + "\"}").getBytes(StandardCharsets.UTF_8), "");
        }
        results.put("probabilities.ome.zarr", prefix + "probabilities.ome.zarr/");
        JobStatus queued = statuses.get(id).orElseThrow();
        statuses.update(new JobStatus(id, JobState.SUCCEEDED, 1, "done", null, queued.submittedAt(), Instant.now(),
                Instant.now(), null, results, List.of("skeleton-smooth", "mito-model"), queued.ownerHash(),
                queued.shareTokenHash(), 0.0));
        return id;
    }

    private String uploadId(String token, byte[]... pngs) throws IOException {
        if (pngs.length == 0) {
            pngs = new byte[][] {png(32, 32)};
        }
        MultipartBodyBuilder b = new MultipartBodyBuilder();
        for (int i = 0; i < pngs.length; i++) {
            addPart(b, "z" + i + ".png", pngs[i]);
        }
        return http.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange()
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }

    private WebTestClient.ResponseSpec submit(String token, String json) {
        return http.post().uri("/api/v1/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    private record Part(String name, byte[] bytes) {
    }

    private static Part part(String name, byte[] bytes) {
        return new Part(name, bytes);
    }

    private WebTestClient.ResponseSpec upload(String token, Part... parts) {
        MultipartBodyBuilder b = new MultipartBodyBuilder();
        for (Part p : parts) {
            addPart(b, p.name(), p.bytes());
        }
        WebTestClient.RequestBodySpec req = http.post().uri("/api/v1/uploads");
        if (token != null) {
            req = req.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return req.contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange();
    }

    private static void addPart(MultipartBodyBuilder b, String name, byte[] bytes) {
        b.part("file", new ByteArrayResource(bytes) {
            @Override
            public String getFilename() {
                return name;
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
    }

    /** Asserts a problem+json answer with this status whose detail mentions {@code named}. */
    private static void problem(WebTestClient.ResponseSpec spec, int status, String named) {
        JsonNode p = spec.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("detail").asString()).contains(named);
    }

    private static byte[] png(int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x * 7 + y * 3) % 256);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static Path createSamples() {
        try {
            Path dir = Files.createTempDirectory("zooscope-gateway-test").resolve("samples");
            Files.createDirectories(dir);
            Files.write(dir.resolve("tiny.png"), png(40, 30));
            Files.writeString(dir.resolve("README.md"), "| file | what | source |\n|---|---|---|\n"
                    + "| `tiny.png` | a *tiny* test image | made by the test |\n");
            Files.writeString(dir.resolve("notes.txt"), "not an image");
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
