package org.zooscope.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
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
import org.zooscope.gateway.testing.GatewayTests;
import org.zooscope.gateway.testing.MutableClock;
import org.zooscope.catalog.search.ModelSearch;
import tools.jackson.databind.JsonNode;

/**
 * The per-owner quotas over HTTP (no servers: the store in memory, Kafka and the model catalogue mocked, the clock
 * moved by hand): under each quota requests pass; over it the answer is 429 with {@code Retry-After} and a
 * problem whose detail names the quota and when it frees. Each test is its own owner (token).
 */
@Import({GatewayTests.InMemoryStore.class, MutableClock.Config.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "zooscope.api-tokens=token-a,token-b,token-c,token-d",
        "zooscope.limits.running-jobs=2",
        // three jobs on a 32 x 32 upload with one model
        "zooscope.limits.voxels-per-day=3072",
        "zooscope.limits.stored-bytes=20KB",
        "zooscope.limits.retention=2d",
        "zooscope.limits.sweep-every=1h",
        "zooscope.limits.first-sweep=1h",
        "spring.kafka.listener.auto-startup=false"})
class QuotaTest {
    @LocalServerPort
    int port;
    WebTestClient http;
    @Autowired
    JobStatusCache statuses;
    @Autowired
    MutableClock clock;
    @MockitoBean
    ModelSearch models;
    @MockitoBean
    KafkaTemplate<String, byte[]> kafka;

    @BeforeEach
    void setUp() {
        http = GatewayTests.client(port);
        clock.set(java.time.Instant.now());
        when(models.get(anyString())).thenReturn(Optional.empty());
        when(models.get("skeleton-smooth")).thenReturn(Optional.of(Map.of("id", "skeleton-smooth", "published", true)));
        when(kafka.send(anyString(), anyString(), any(byte[].class))).thenReturn(CompletableFuture.completedFuture(null));
    }

    @Test
    void aThirdJobInFlightIsRefusedUntilOneEnds() throws IOException {
        // given two jobs in flight, the most the owner may have
        String upload = upload("token-a", png(32, 32)).expectStatus().isCreated().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("id").asString();
        String first = jobId(submit("token-a", upload).expectStatus().isAccepted());
        submit("token-a", upload).expectStatus().isAccepted();

        // when a third is asked for, with no estimate of when either ends
        JsonNode p = tooMany(submit("token-a", upload), "30");
        // then
        assertThat(p.get("detail").asString()).contains("quota of running jobs").contains("2 jobs queued or running")
                .contains("at most 2").contains("try again in 30 s");

        // when the first runs with an estimate, the wait is that estimate
        set(first, JobState.RUNNING, 12.3);
        p = tooMany(submit("token-a", upload), "13");
        assertThat(p.get("detail").asString()).contains("estimated in 13 s");

        // when it ends, a place is free
        set(first, JobState.SUCCEEDED, null);
        submit("token-a", upload).expectStatus().isAccepted();
    }

    @Test
    void voxelsPerDayFreeTwentyFourHoursAfterTheJobsThatUsedThem() throws IOException {
        // given three 1,024-voxel jobs in the day, which ended (so the running-jobs quota is not what refuses)
        String upload = upload("token-b", png(32, 32)).expectStatus().isCreated().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("id").asString();
        for (int i = 0; i < 3; i++) {
            set(jobId(submit("token-b", upload).expectStatus().isAccepted()), JobState.SUCCEEDED, null);
            clock.advance(Duration.ofMinutes(1));
        }

        // when a fourth is asked for
        JsonNode p = tooMany(submit("token-b", upload), Long.toString(Duration.ofDays(1).minusMinutes(3).toSeconds()));
        // then it frees when the first leaves the 24 hours
        assertThat(p.get("detail").asString()).contains("quota of voxels per day").contains("asked for 3,072 voxels")
                .contains("this one asks for 1,024").contains("3,072 allowed").contains("enough frees at");

        // and a day after the first, it passes
        clock.advance(Duration.ofDays(1).minusMinutes(3));
        submit("token-b", upload).expectStatus().isAccepted();
    }

    @Test
    void aJobLargerThanTheWholeDailyQuotaIsUnprocessable() throws IOException {
        String upload = upload("token-d", png(64, 64)).expectStatus().isCreated().expectBody(JsonNode.class)
                .returnResult().getResponseBody().get("id").asString();
        JsonNode p = submit("token-d", upload).expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(p.get("detail").asString()).contains("asks for 4,096 voxels").contains("quota of voxels per day is 3,072");
    }

    @Test
    void uploadsOverTheStoredBytesAreRefusedUntilTheOldestExpire() throws IOException {
        // given uploads under the quota, each counted by what it stores: its 4,096-byte 8-bit plane and its
        // description (the PNG itself is not kept once decoded)
        int accepted = 0;
        org.springframework.test.web.reactive.server.EntityExchangeResult<JsonNode> answer = null;
        for (int i = 0; i < 8; i++) {
            answer = upload("token-c", png(64, 64)).expectBody(JsonNode.class).returnResult();
            if (answer.getStatus().value() != 201) {
                break;
            }
            accepted++;
        }
        assertThat(accepted).isBetween(3, 5);

        // then the next is refused, until the oldest expires (2 days) and the next sweep (1 h) deletes it
        assertThat(answer.getStatus().value()).isEqualTo(429);
        assertThat(answer.getResponseHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(answer.getResponseBody().get("detail").asString()).contains("quota of bytes stored")
                .contains("over the 20,480 bytes allowed").contains("enough frees when your oldest expire");
        String retryAfter = answer.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        assertThat(Long.parseLong(retryAfter)).isBetween(Duration.ofHours(49).minusMinutes(5).toSeconds(),
                Duration.ofHours(49).toSeconds());
        // another owner is not affected
        upload("token-d", png(32, 32)).expectStatus().isCreated();
    }

    private JsonNode tooMany(WebTestClient.ResponseSpec spec, String retryAfter) {
        return spec.expectStatus().isEqualTo(429)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, retryAfter)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private void set(String jobId, JobState state, Double eta) {
        JobStatus s = statuses.get(jobId).orElseThrow();
        statuses.update(new JobStatus(jobId, state, state.isFinal() ? 1 : 0.5, state.isFinal() ? null : "inference", null,
                s.submittedAt(), clock.instant(), state.isFinal() ? clock.instant() : null, null, Map.of(), s.models(),
                s.ownerHash(), s.shareTokenHash(), eta));
    }

    private static String jobId(WebTestClient.ResponseSpec spec) {
        return spec.expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();
    }

    private WebTestClient.ResponseSpec submit(String token, String uploadId) {
        return http.post().uri("/api/v1/jobs").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"input\":{\"uploadId\":\"" + uploadId + "\"},\"models\":[\"skeleton-smooth\"]}").exchange();
    }

    private WebTestClient.ResponseSpec upload(String token, byte[] png) {
        MultipartBodyBuilder b = new MultipartBodyBuilder();
        b.part("file", new ByteArrayResource(png) {
            @Override
            public String getFilename() {
                return "slice.png";
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
        return http.post().uri("/api/v1/uploads").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(b.build())).exchange();
    }

    static byte[] png(int w, int h) throws IOException {
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
}
