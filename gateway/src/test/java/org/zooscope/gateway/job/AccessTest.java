package org.zooscope.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
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
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.security.Hashes;
import org.zooscope.gateway.testing.GatewayTests;
import org.zooscope.catalog.search.ModelSearch;
import tools.jackson.databind.JsonNode;

/**
 * Nobody reads, changes, cancels or downloads what is not theirs: every endpoint that touches an upload, a job, its
 * results or a private model, walked as its owner (who must get it, so the walk cannot pass by being broken), as a
 * stranger with a token of their own, with no credential, and with a wrong share token. Strangers learn nothing,
 * not even that the thing exists (404); a request without any credential is told it needs one (401).
 */
@Import(GatewayTests.InMemoryStore.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        // these tests submit many jobs with one token that never end (no job-stream): quotas have QuotaTest
        "zooscope.limits.running-jobs=1000",
        "zooscope.api-tokens=owner-token,stranger-token",
        "spring.kafka.listener.auto-startup=false"})
class AccessTest {
    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws IOException {
        var tmp = Files.createTempDirectory("zooscope-access");
        r.add("zooscope.samples-dir", () -> tmp.resolve("samples").toString());
        r.add("zooscope.upload.temp-dir", () -> tmp.resolve("uploads").toString());
    }


    @org.springframework.boot.test.web.server.LocalServerPort
    int port;
    @Autowired
    ObjectStore store;
    @Autowired
    JobStatusCache statuses;
    @MockitoBean
    ModelSearch models;
    @MockitoBean
    KafkaTemplate<String, byte[]> kafka;
    WebTestClient http;

    @BeforeEach
    void setUp() {
        http = GatewayTests.client(port);
        Map<String, Object> privateModel = new LinkedHashMap<>(Map.of("id", "private-model", "published", false,
                "owner", Hashes.sha256("owner-token"), "packageKey", "models/private-model/1/", "version", "1"));
        when(models.get(anyString())).thenReturn(Optional.empty());
        when(models.get("skeleton-smooth")).thenReturn(Optional.of(Map.of("id", "skeleton-smooth", "published", true)));
        when(models.get("private-model")).thenReturn(Optional.of(privateModel));
        when(models.search(any())).thenReturn(new ModelSearch.Result(List.of(), 0, Map.of()));
        when(kafka.send(anyString(), anyString(), any(byte[].class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    private record Call(HttpMethod method, String path, String json) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @Test
    void everyEndpointRefusesStrangersNoCredentialAndWrongShareTokens() throws IOException {
        String upload = upload();
        String job = finishedJob(upload);
        List<Call> calls = List.of(
                new Call(HttpMethod.GET, "/api/v1/uploads/" + upload, null),
                new Call(HttpMethod.GET, "/api/v1/uploads/" + upload + "/slices/0.png", null),
                new Call(HttpMethod.PATCH, "/api/v1/uploads/" + upload, "{\"voxelSize\":{\"x\":4,\"unit\":\"nm\"}}"),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job, null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/settings", null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/slices/0.png?layer=overlay", null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/slices/0.png?layer=input", null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/results", null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/results/probabilities.tif", null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/results/run.json", null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/results/bundle.zip", null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/results/probabilities.ome.zarr", null),
                new Call(HttpMethod.GET, "/api/v1/jobs/" + job + "/results/probabilities.ome.zarr/.zgroup", null),
                new Call(HttpMethod.GET, "/api/v1/models/private-model", null),
                new Call(HttpMethod.POST, "/api/v1/jobs", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}"),
                new Call(HttpMethod.POST, "/api/v1/jobs", "{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"private-model\"]}"),
                new Call(HttpMethod.POST, "/api/v1/jobs/" + job + "/share", null),
                new Call(HttpMethod.DELETE, "/api/v1/jobs/" + job + "/share", null),
                new Call(HttpMethod.DELETE, "/api/v1/jobs/" + job, null));
        List<String> wrong = new ArrayList<>();
        for (Call c : calls) {
            int owner = send(c, "owner-token", null);
            boolean ownerMayDoIt = owner < 400 || (c.method() == HttpMethod.DELETE && owner == 409); // a finished job
            if (!ownerMayDoIt && !(c.path().equals("/api/v1/jobs") && owner == 404)) {
                wrong.add(c + " as its owner: " + owner);
            }
            int stranger = send(c, "stranger-token", null);
            if (stranger != 404) {
                wrong.add(c + " as a stranger: " + stranger);
            }
            int nobody = send(c, null, null);
            boolean publicRead = c.path().startsWith("/api/v1/models/");
            if (nobody != (publicRead ? 404 : 401)) {
                wrong.add(c + " without a credential: " + nobody);
            }
            if (c.path().startsWith("/api/v1/jobs/" + job) && c.method() == HttpMethod.GET) {
                int share = send(c, null, "not-the-share-token");
                if (share != 404) {
                    wrong.add(c + " with a wrong share token: " + share);
                }
            }
        }
        assertThat(wrong).as("endpoints that let the wrong caller in (or refused the owner)").isEmpty();
        // the stranger's attempts changed nothing: the upload's voxel size is still unstated, the job still succeeded
        assertThat(http.get().uri("/api/v1/jobs/" + job).header(HttpHeaders.AUTHORIZATION, "Bearer owner-token").exchange()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("state").asString()).isEqualTo("SUCCEEDED");
    }

    private int send(Call c, String token, String shareToken) {
        String path = shareToken == null ? c.path() : c.path() + (c.path().contains("?") ? "&" : "?") + "token=" + shareToken;
        WebTestClient.RequestBodySpec req = http.method(c.method()).uri(path);
        if (token != null) {
            req = req.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        WebTestClient.RequestHeadersSpec<?> ready = c.json() == null ? req
                : req.contentType(MediaType.APPLICATION_JSON).bodyValue(c.json());
        return ready.exchange().returnResult(byte[].class).getStatus().value();
    }

    private String upload() throws IOException {
        BufferedImage img = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        MultipartBodyBuilder b = new MultipartBodyBuilder();
        b.part("file", new ByteArrayResource(png.toByteArray()) {
            @Override
            public String getFilename() {
                return "a.png";
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
        return http.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer owner-token")
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange()
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }

    private String finishedJob(String upload) throws IOException {
        String id = http.post().uri("/api/v1/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer owner-token")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"input\":{\"uploadId\":\"" + upload + "\"},\"models\":[\"skeleton-smooth\"]}").exchange()
                .expectStatus().isAccepted().expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
        String prefix = "jobs/" + id + "/results/";
        ByteArrayOutputStream tif = new ByteArrayOutputStream();
        TiffWriter.writeFloat32(new FloatVolume(32, 24, List.of(new float[32 * 24]), DataType.FLOAT32, VoxelSize.unknown()), tif);
        store.put(prefix + "probabilities.tif", tif.toByteArray(), "image/tiff");
        store.put(prefix + "s/probabilities.tif", tif.toByteArray(), "image/tiff");
        store.put(prefix + "run.json", "{\"structures\":{\"s\":[\"skeleton-smooth\"]}}".getBytes(StandardCharsets.UTF_8), "");
        store.put(prefix + "probabilities.ome.zarr/.zgroup", "{}".getBytes(StandardCharsets.UTF_8), "");
        Map<String, String> results = Map.of("probabilities.tif", prefix + "probabilities.tif", "run.json", prefix + "run.json",
                "probabilities.ome.zarr", prefix + "probabilities.ome.zarr/", "s/probabilities.tif", prefix + "s/probabilities.tif");
        JobStatus queued = statuses.get(id).orElseThrow();
        statuses.update(new JobStatus(id, JobState.SUCCEEDED, 1, "done", null, queued.submittedAt(), Instant.now(),
                Instant.now(), null, results, queued.models(), queued.ownerHash(), queued.shareTokenHash(), 0.0));
        return id;
    }
}
