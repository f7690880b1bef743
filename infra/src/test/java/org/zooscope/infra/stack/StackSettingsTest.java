package org.zooscope.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

    @Test
    void defaultsAreTheContractsEndpoints() {
        StackSettings s = StackSettings.local(Path.of("/repo"), Map.of());
        assertThat(s.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(s.openSearchUrl()).isEqualTo("http://127.0.0.1:9200");
        assertThat(s.s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(s.gatewayUrl()).isEqualTo("http://localhost:8080");
        assertThat(s.stateDir()).isEqualTo(Path.of("/repo/var"));
    }

    @Test
    void environmentOverridesPorts() {
        StackSettings s = StackSettings.local(Path.of("/repo"), Map.of("ZOOSCOPE_KAFKA_PORT", "19092", "ZOOSCOPE_S3_PORT", "19000"));
        assertThat(s.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(s.serviceEnvironment()).containsEntry("ZOOSCOPE_S3_ENDPOINT", "http://127.0.0.1:19000")
                .containsEntry("DJL_OFFLINE", "true");
    }

    @Test
    void aBadPortIsNamed() {
        assertThatThrownBy(() -> StackSettings.local(Path.of("/repo"), Map.of("ZOOSCOPE_GATEWAY_PORT", "eighty")))
                .hasMessageContaining("ZOOSCOPE_GATEWAY_PORT").hasMessageContaining("eighty");
    }

    @Test
    void testStacksGetDistinctFreePorts() {
        StackSettings s = StackSettings.forTests(Path.of("/repo"), Path.of("/tmp/x"));
        java.util.List<Integer> ports = java.util.List.of(s.kafkaPort(), s.kafkaControllerPort(), s.openSearchPort(),
                s.openSearchTransportPort(), s.s3Port(), s.gatewayPort());
        assertThat(java.util.Set.copyOf(ports)).hasSize(6);
        // below the OS's ephemeral range, so no outgoing connection takes one between its pick and its server's bind
        assertThat(ports).allSatisfy(p -> assertThat(p).isBetween(StackSettings.TEST_PORTS_FROM, StackSettings.TEST_PORTS_TO - 1));
    }

    @Test
    void theStackStartsAsManyWorkersAsAsked() {
        StackSettings two = StackSettings.local(Path.of("/repo"), Map.of("ZOOSCOPE_WORKERS", "2"));
        assertThat(new LocalStack(two).services(Map.of())).extracting(Server::name)
                .containsExactly("catalog-indexer", "gpu-worker", "gpu-worker-2", "job-stream", "gateway");
        assertThat(StackSettings.local(Path.of("/repo"), Map.of()).workers()).isEqualTo(1);
        assertThatThrownBy(() -> StackSettings.local(Path.of("/repo"), Map.of("ZOOSCOPE_WORKERS", "0")))
                .hasMessageContaining("ZOOSCOPE_WORKERS");
    }
}
