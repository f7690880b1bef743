package org.zooscope.gateway.testing;

import java.time.Duration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.ObjectStore;
import reactor.netty.http.client.HttpClient;

/** What the gateway's HTTP tests share: S3 replaced by the in-memory store, and a client for the running server. */
public final class GatewayTests {
    private GatewayTests() {
    }

    /** Import into a {@code @SpringBootTest}: the store is in memory (no servers in a *Test). */
    @TestConfiguration
    public static class InMemoryStore {
        @Bean
        @Primary
        ObjectStore memoryStore() {
            return new InMemoryObjectStore();
        }
    }

    /**
     * A client with one connection per request: with a pooled client, a request refused before its body was read
     * (401, 413) now and then left a keep-alive connection on which a later request hung until the timeout.
     */
    public static WebTestClient client(int port) {
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.newConnection()))
                .baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(60)).build();
    }
}
