package org.zooscope.gateway.identifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.EventJson;

/**
 * The DataCite client against DataCite's answers as its documentation shows them (DataCite itself is unreachable from
 * the build machine), served by an in-process HTTP stub that also records what the client sent.
 */
class DataCiteClientTest {
    private static final Map<String, Object> CARD = Map.of("id", "skeleton-smooth", "name", "Skeleton smooth (test model)",
            "version", "1", "license", "MIT", "identifier", "zooscope:model/skeleton-smooth/1",
            "authors", List.of(Map.of("name", "Zooscope developers")), "tags", List.of("test-fixture"),
            "cite", List.of(Map.of("text", "U-Net", "doi", "10.1007/978-3-319-24574-4_28")));

    private HttpServer server;
    private final List<String> requests = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private final List<Answer> answers = new ArrayList<>();

    private record Answer(int status, String resource) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            bodies.add(exchange.getRequestBody().readAllBytes());
            Answer a = answers.remove(0);
            byte[] body = resource(a.resource());
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.api+json");
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void registersTheDoiWithTheMetadataAndBasicAuth() throws Exception {
        answers.add(new Answer(201, "created.json"));
        String doi = DataCiteMetadata.doi("10.80000", "skeleton-smooth", "1");
        Map<String, Object> metadata = DataCiteMetadata.of(CARD, doi, "https://zoo.example.org/models/skeleton-smooth", "Zooscope", 2026);

        String minted = client().register(metadata);

        assertThat(minted).isEqualTo("10.80000/zooscope.skeleton-smooth.v1");
        assertThat(requests).containsExactly("POST /dois");
        assertThat(authorizations.get(0)).isEqualTo("Basic " + Base64.getEncoder().encodeToString("ZOO.TEST:secret".getBytes(StandardCharsets.UTF_8)));
        JsonNode sent = EventJson.mapper().readTree(bodies.get(0)).path("data");
        assertThat(sent.path("type").asText()).isEqualTo("dois");
        JsonNode a = sent.path("attributes");
        assertThat(a.path("doi").asText()).isEqualTo(doi);
        assertThat(a.path("event").asText()).isEqualTo("publish");
        assertThat(a.path("types").path("resourceTypeGeneral").asText()).isEqualTo("Model");
        assertThat(a.path("creators").get(0).path("name").asText()).isEqualTo("Zooscope developers");
        assertThat(a.path("relatedIdentifiers").get(0).path("relatedIdentifier").asText()).isEqualTo("10.1007/978-3-319-24574-4_28");
        assertThat(a.path("url").asText()).isEqualTo("https://zoo.example.org/models/skeleton-smooth");
    }

    @Test
    void aDoiRegisteredBeforeIsUpdated() throws Exception {
        answers.add(new Answer(422, "taken.json"));
        answers.add(new Answer(200, "created.json"));
        String doi = DataCiteMetadata.doi("10.80000", "skeleton-smooth", "1");

        String minted = client().register(DataCiteMetadata.of(CARD, doi, "https://zoo.example.org/models/skeleton-smooth", "Zooscope", 2026));

        assertThat(minted).isEqualTo(doi);
        assertThat(requests).containsExactly("POST /dois", "PUT /dois/10.80000/zooscope.skeleton-smooth.v1");
    }

    @Test
    void badCredentialsAreReportedWithDataCitesReason() {
        answers.add(new Answer(401, "unauthorized.json"));
        Map<String, Object> metadata = DataCiteMetadata.of(CARD, "10.80000/x", "https://zoo.example.org/models/x", "Zooscope", 2026);

        assertThatThrownBy(() -> client().register(metadata)).isInstanceOf(DataCiteClient.DataCiteException.class)
                .hasMessage("DataCite answered 401: Bad credentials.");
    }

    @Test
    void metadataWithoutADoiIsStillComplete() {
        Map<String, Object> m = DataCiteMetadata.of(CARD, null, "https://zoo.example.org/models/skeleton-smooth", "Zooscope", 2026);

        @SuppressWarnings("unchecked")
        Map<String, Object> a = (Map<String, Object>) ((Map<String, Object>) m.get("data")).get("attributes");
        assertThat(a).doesNotContainKeys("doi", "event").containsKeys("creators", "titles", "publisher", "publicationYear",
                "types", "url", "rightsList", "alternateIdentifiers");
        assertThat(DataCiteMetadata.doi("10.80000", "Odd Id/x", "0.1.0")).isEqualTo("10.80000/zooscope.odd-id-x.v0.1.0");
    }

    private DataCiteClient client() {
        return new DataCiteClient(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.getAddress().getPort(), "ZOO.TEST", "secret");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DataCiteClientTest.class.getResourceAsStream("/datacite/" + name)) {
            return in.readAllBytes();
        }
    }
}
