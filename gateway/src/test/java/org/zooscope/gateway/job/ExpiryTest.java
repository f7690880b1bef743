package org.zooscope.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.limits.Sweeper;
import org.zooscope.gateway.testing.GatewayTests;
import org.zooscope.gateway.testing.MutableClock;
import org.zooscope.catalog.search.ModelSearch;
import tools.jackson.databind.JsonNode;

/**
 * Expiry with a retention of one hour and a clock moved by hand: the API says when an upload and a job's results
 * expire, answers {@code 410 Gone} once they did, and the sweeper deletes their data (keeping the small description
 * that lets the API say so), but keeps an upload a live job still reads.
 */
@Import({GatewayTests.InMemoryStore.class, MutableClock.Config.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "zooscope.api-tokens=token-a,token-b",
        "zooscope.limits.retention=1h",
        "zooscope.limits.sweep-every=1h",
        "zooscope.limits.first-sweep=1h",
        "spring.kafka.listener.auto-startup=false"})
class ExpiryTest {
    @LocalServerPort
    int port;
    WebTestClient http;
    @Autowired
    JobStatusCache statuses;
    @Autowired
    ObjectStore store;
    @Autowired
    Sweeper sweeper;
    @Autowired
    MutableClock clock;
    @MockitoBean
    ModelSearch models;
    @MockitoBean
    KafkaTemplate<String, byte[]> kafka;

    @BeforeEach
    void setUp() {
        http = GatewayTests.client(port);
        clock.set(Instant.now());
        when(models.get(anyString())).thenReturn(Optional.empty());
        when(models.get("skeleton-smooth")).thenReturn(Optional.of(Map.of("id", "skeleton-smooth", "published", true)));
        when(kafka.send(anyString(), anyString(), any(byte[].class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    @Test
    void resultsAnswerGoneOnceExpiredAndTheSweeperDeletesThem() throws IOException {
        // given an upload and a job on it that ended now
        Instant t0 = clock.instant();
        JsonNode upload = upload("token-a");
        assertThat(Instant.parse(upload.get("expiresAt").asString())).isEqualTo(t0.plus(Duration.ofHours(1)));
        String uploadId = upload.get("id").asString();
        String id = submit("token-a", uploadId).expectStatus().isAccepted().expectBody(JsonNode.class).returnResult()
                .getResponseBody().get("id").asString();
        get("/api/v1/jobs/" + id).expectStatus().isOk().expectBody().jsonPath("$.expiresAt").isEmpty();
        finish(id);

        // then the status says when its results expire, and they are served until then
        get("/api/v1/jobs/" + id).expectStatus().isOk().expectBody()
                .jsonPath("$.expiresAt").isEqualTo(t0.plus(Duration.ofHours(1)).toString())
                .jsonPath("$.results['probabilities.tif']").isEqualTo("/api/v1/jobs/" + id + "/results/probabilities.tif");
        get("/api/v1/jobs/" + id + "/results/probabilities.tif").expectStatus().isOk();

        // when the retention has passed
        clock.advance(Duration.ofMinutes(61));

        // then the job is still described, without results, and every result path answers 410 saying why
        get("/api/v1/jobs/" + id).expectStatus().isOk().expectBody().jsonPath("$.state").isEqualTo("SUCCEEDED")
                .jsonPath("$.results").isEmpty();
        for (String path : new String[] {"/results/probabilities.tif", "/results", "/results/bundle.zip", "/slices/0.png"}) {
            gone(get("/api/v1/jobs/" + id + path), "the results of job '" + id + "' expired at");
        }
        gone(get("/api/v1/uploads/" + uploadId), "upload '" + uploadId + "' expired at");
        gone(submit("token-a", uploadId), "upload the image again");

        // and the sweep deletes their data, keeping only what says they expired
        Sweeper.Result swept = sweeper.sweep();
        assertThat(swept.jobsExpired()).isEqualTo(1);
        assertThat(swept.uploadsExpired()).isEqualTo(1);
        assertThat(store.list("jobs/" + id + "/")).containsExactly("jobs/" + id + "/request.json");
        assertThat(store.list("uploads/" + uploadId + "/")).containsExactly("uploads/" + uploadId + "/volume.json");
        gone(get("/api/v1/jobs/" + id + "/results/probabilities.tif"), "expired at");
        gone(get("/api/v1/uploads/" + uploadId), "expired at");
    }

    @Test
    void anExpiredUploadIsKeptWhileAJobThatReadsItIsNot() throws IOException {
        // given an upload whose job ends 50 minutes later
        String uploadId = upload("token-b").get("id").asString();
        String id = submit("token-b", uploadId).expectStatus().isAccepted().expectBody(JsonNode.class).returnResult()
                .getResponseBody().get("id").asString();
        clock.advance(Duration.ofMinutes(50));
        finish(id);

        // when the upload expired but the job's results did not
        clock.advance(Duration.ofMinutes(20));
        sweeper.sweep();

        // then the viewer still reads the upload's planes
        assertThat(store.list("uploads/" + uploadId + "/planes/")).isNotEmpty();
        get("/api/v1/jobs/" + id + "/slices/0.png?layer=input").expectStatus().isOk();

        // and once the job's results expired too, both go
        clock.advance(Duration.ofMinutes(41));
        sweeper.sweep();
        assertThat(store.list("uploads/" + uploadId + "/planes/")).isEmpty();
        assertThat(store.list("jobs/" + id + "/results/")).isEmpty();
    }

    private void finish(String id) {
        String key = "jobs/" + id + "/results/probabilities.tif";
        store.put(key, new byte[] {1, 2, 3}, "image/tiff");
        JobStatus queued = statuses.get(id).orElseThrow();
        statuses.update(new JobStatus(id, JobState.SUCCEEDED, 1, "done", null, queued.submittedAt(), clock.instant(),
                clock.instant(), null, Map.of("probabilities.tif", key), queued.models(), queued.ownerHash(),
                queued.shareTokenHash(), 0.0));
    }

    private static void gone(WebTestClient.ResponseSpec spec, String detail) {
        JsonNode p = spec.expectStatus().isEqualTo(410)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(p.get("detail").asString()).contains(detail);
    }

    /** A GET as the owner of the test's upload and job. */
    private WebTestClient.ResponseSpec get(String path) {
        return http.get().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + owner).exchange();
    }

    private String owner;

    private WebTestClient.ResponseSpec submit(String token, String uploadId) {
        owner = token;
        return http.post().uri("/api/v1/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"input\":{\"uploadId\":\"" + uploadId + "\"},\"models\":[\"skeleton-smooth\"]}").exchange();
    }

    private JsonNode upload(String token) throws IOException {
        owner = token;
        MultipartBodyBuilder b = new MultipartBodyBuilder();
        b.part("file", new ByteArrayResource(QuotaTest.png(32, 32)) {
            @Override
            public String getFilename() {
                return "slice.png";
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
        return http.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange()
                .expectStatus().isCreated().expectBody(JsonNode.class).returnResult().getResponseBody();
    }
}
