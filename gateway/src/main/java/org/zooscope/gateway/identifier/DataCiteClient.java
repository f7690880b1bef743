package org.zooscope.gateway.identifier;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.zooscope.core.events.EventJson;

/**
 * Registers DOIs with the DataCite REST API ({@code POST /dois}; a DOI registered before is updated with
 * {@code PUT /dois/{doi}}). Used only when a deployment configures a DataCite account; DataCite cannot be reached
 * from where Zooscope is built, so the tests run this client against responses in DataCite's documented shape.
 */
public final class DataCiteClient {
    private static final String JSON_API = "application/vnd.api+json";

    private final HttpClient http;
    private final URI apiUrl;
    private final String authorization;

    public DataCiteClient(HttpClient http, String apiUrl, String username, String password) {
        this.http = http;
        this.apiUrl = URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A DataCite answer that is not a success, with its status and DataCite's error titles. */
    public static final class DataCiteException extends IOException {
        public DataCiteException(String message) {
            super(message);
        }
    }

    /** Registers (or updates) the DOI in {@code metadata} ({@link DataCiteMetadata#of}) and answers the DOI DataCite holds. */
    @SuppressWarnings("unchecked")
    public String register(Map<String, Object> metadata) throws IOException, InterruptedException {
        byte[] body = EventJson.mapper().writeValueAsBytes(metadata);
        HttpResponse<byte[]> created = http.send(request(apiUrl.resolve("dois")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (created.statusCode() == 201 || created.statusCode() == 200) {
            return doiOf(created.body());
        }
        if (created.statusCode() == 422 && new String(created.body(), StandardCharsets.UTF_8).contains("already been taken")) {
            Map<String, Object> attributes = (Map<String, Object>) ((Map<String, Object>) metadata.get("data")).get("attributes");
            String doi = String.valueOf(attributes.get("doi"));
            HttpResponse<byte[]> updated = http.send(request(apiUrl.resolve("dois/" + doi))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (updated.statusCode() == 200) {
                return doiOf(updated.body());
            }
            throw failure(updated);
        }
        throw failure(created);
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", JSON_API)
                .header("Accept", JSON_API).header("Authorization", authorization);
    }

    private static String doiOf(byte[] body) throws IOException {
        JsonNode data = EventJson.mapper().readTree(body).path("data");
        String doi = data.path("attributes").path("doi").asText(data.path("id").asText(""));
        if (doi.isEmpty()) {
            throw new DataCiteException("DataCite answered without a DOI: " + new String(body, StandardCharsets.UTF_8));
        }
        return doi;
    }

    private static DataCiteException failure(HttpResponse<byte[]> r) {
        StringBuilder why = new StringBuilder();
        try {
            for (JsonNode e : EventJson.mapper().readTree(r.body()).path("errors")) {
                why.append(why.isEmpty() ? "" : "; ").append(e.path("title").asText());
            }
        } catch (IOException ignored) {
            // not JSON: the status says enough
        }
        return new DataCiteException("DataCite answered " + r.statusCode() + (why.isEmpty() ? "" : ": " + why));
    }
}
