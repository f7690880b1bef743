package org.zooscope.systemtests.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobState;

/**
 * The benchmarks' one way to submit a job and follow it to its end over the public API, as one caller (an API token or
 * a session cookie). Every wait has a deadline: a benchmark that hangs measures nothing.
 */
final class BenchApi {
    /** HTTP/1.1 and a timeout on every call: the JDK client's h2c upgrade once left a status poll hanging here. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final String gateway;
    private final String authHeader;
    private final String authValue;

    private BenchApi(String gateway, String authHeader, String authValue) {
        this.gateway = gateway;
        this.authHeader = authHeader;
        this.authValue = authValue;
    }

    /** A caller with an API token. */
    static BenchApi withToken(String gateway, String token) {
        return new BenchApi(gateway, "Authorization", "Bearer " + token);
    }

    /** An anonymous caller with its session cookie. */
    static BenchApi withCookie(String gateway, String cookie) {
        return new BenchApi(gateway, "Cookie", cookie);
    }

    /** A job running {@code model} on {@code inputJson} (a job request's input object), no augmentation or enhancement. */
    String submit(String inputJson, String model) throws Exception {
        String body = "{\"input\":" + inputJson + ",\"models\":[\"" + model + "\"],\"enhance\":false,\"augmentation\":\"none\"}";
        HttpResponse<String> r = send(request("/api/v1/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 202) {
            throw new IllegalStateException("submit answered " + r.statusCode() + ": " + r.body());
        }
        return EventJson.mapper().readTree(r.body()).get("id").asText();
    }

    /** GET {@code path} with this caller's credentials. */
    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    /** The job's status, or null while it cannot be read (not at the gateway yet, or a dependency is down). */
    JsonNode status(String jobId) {
        try {
            HttpResponse<String> r = get("/api/v1/jobs/" + jobId);
            return r.statusCode() == 200 ? EventJson.mapper().readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Polls every {@code every} until the job has reached {@code progress} or ended. */
    void awaitProgress(String jobId, double progress, Duration every, Duration deadline) throws Exception {
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            JsonNode s = status(jobId);
            if (s != null && (s.path("progress").asDouble() >= progress || isFinal(s))) {
                return;
            }
            Thread.sleep(every.toMillis()); // a benchmark's driver, not a test
        }
        throw new IllegalStateException("job " + jobId + " not at progress " + progress + " after " + deadline);
    }

    /** Polls every {@code every} until the job ends; its final status. Outages in between are polled through. */
    JsonNode awaitFinal(String jobId, Duration every, Duration deadline) throws Exception {
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until) {
            JsonNode s = status(jobId);
            if (s != null && isFinal(s)) {
                return s;
            }
            Thread.sleep(every.toMillis()); // a benchmark's driver, not a test
        }
        throw new IllegalStateException("job " + jobId + " not final after " + deadline);
    }

    static boolean isFinal(JsonNode status) {
        return JobState.valueOf(status.path("state").asText()).isFinal();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path)).header(authHeader, authValue).timeout(CALL_TIMEOUT);
    }

    private static HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
