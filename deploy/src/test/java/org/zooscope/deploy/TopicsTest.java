package org.zooscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.Topics;
import org.zooscope.deploy.Manifests.Doc;

/**
 * The code's topics ({@link Topics}) are the one source of truth: the KafkaTopics of the Kubernetes manifests and the
 * Compose file's topic list must say the same names, partitions and clean-up policies, and the autoscaling caps must
 * fit the partitions.
 */
class TopicsTest {
    /** A topic as a deployment declares it. */
    private record Declared(String name, int partitions, boolean compacted) {
    }

    private static final List<Declared> CODE = Topics.ALL.stream()
            .map(t -> new Declared(t.name(), t.partitions(), t.compacted())).toList();

    @Test
    void kafkaTopicsAreTheCodesTopics() {
        List<Declared> declared = Manifests.read(Manifests.K8S.resolve("base/topics.yaml")).stream()
                .filter(d -> d.kind().equals("KafkaTopic"))
                .map(d -> new Declared(d.node().path("spec").path("topicName").asText(d.name()),
                        d.node().path("spec").path("partitions").asInt(),
                        d.node().path("spec").path("config").path("cleanup.policy").asText().equals("compact")))
                .toList();
        assertThat(declared).containsExactlyInAnyOrderElementsOf(CODE);
        // every KafkaTopic belongs to the one Kafka cluster
        assertThat(Manifests.ofKind("KafkaTopic")).allSatisfy(d ->
                assertThat(d.node().path("metadata").path("labels").path("strimzi.io/cluster").asText())
                        .isEqualTo(Manifests.ofKind("Kafka").get(0).name()));
    }

    @Test
    void composeCreatesTheCodesTopics() throws Exception {
        JsonNode compose = Manifests.YAML.readTree(Manifests.COMPOSE.toFile());
        String script = compose.path("services").path("kafka-topics").path("command").get(0).asText();
        String list = script.substring(script.indexOf("<<'TOPICS'\n") + "<<'TOPICS'\n".length(), script.indexOf("\nTOPICS"));
        List<Declared> declared = list.lines().map(String::trim).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+"))
                .map(f -> new Declared(f[0], Integer.parseInt(f[1]), f[2].equals("compact"))).toList();
        assertThat(declared).containsExactlyInAnyOrderElementsOf(CODE);
        assertThat(compose.path("services").fieldNames()).toIterable()
                .contains("kafka", "opensearch", "minio", "gateway", "job-stream", "gpu-worker", "catalog-indexer");
    }

    @Test
    void workersScaleOnTheLagOfTileTasksToZeroAndAtMostOnePerPartition() {
        Doc scaled = Manifests.one(Manifests.K8S.resolve("base/gpu-worker.yaml"), "ScaledObject", "gpu-worker");
        JsonNode spec = scaled.node().path("spec");
        JsonNode trigger = spec.path("triggers").get(0);
        assertThat(trigger.path("type").asText()).isEqualTo("kafka");
        assertThat(trigger.path("metadata").path("topic").asText()).isEqualTo(Topics.TILES_TASKS.name());
        // the worker's default consumer group (WorkerSettings: ZOOSCOPE_WORKER_GROUP)
        assertThat(trigger.path("metadata").path("consumerGroup").asText()).isEqualTo("zooscope-gpu-worker");
        assertThat(spec.path("minReplicaCount").asInt(-1)).isZero();
        assertThat(spec.path("maxReplicaCount").asInt()).isBetween(1, Topics.TILES_TASKS.partitions());
        assertThat(spec.path("scaleTargetRef").path("name").asText()).isEqualTo("gpu-worker");
    }

    @Test
    void jobStreamScalesUpToItsPartitionsOverItsThreads() {
        Doc deployment = Manifests.one(Manifests.K8S.resolve("base/job-stream.yaml"), "Deployment", "job-stream");
        int threads = deployment.node().path("spec").path("template").path("spec").path("containers").get(0).path("env")
                .findParents("name").stream().filter(e -> e.path("name").asText().equals("ZOOSCOPE_JOBSTREAM_THREADS"))
                .mapToInt(e -> e.path("value").asInt()).findFirst().orElseThrow();
        int partitions = CODE.stream().filter(t -> t.name().startsWith("zooscope.jobs.")
                || t.name().startsWith("zooscope.slices.")).mapToInt(Declared::partitions).max().orElseThrow();
        JsonNode spec = Manifests.one(Manifests.K8S.resolve("base/job-stream.yaml"), "ScaledObject", "job-stream")
                .node().path("spec");
        assertThat(spec.path("minReplicaCount").asInt()).isEqualTo(1);
        assertThat(spec.path("maxReplicaCount").asInt()).isEqualTo(partitions / threads);
        assertThat(spec.path("triggers").get(0).path("metadata").path("consumerGroup").asText())
                .isEqualTo("zooscope-job-stream");
    }

    @Test
    void theGatewayHasAnAutoscaler() {
        Doc hpa = Manifests.one(Manifests.K8S.resolve("base/gateway.yaml"), "HorizontalPodAutoscaler", "gateway");
        assertThat(hpa.node().path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("gateway");
        assertThat(hpa.node().path("spec").path("maxReplicas").asInt())
                .isGreaterThan(hpa.node().path("spec").path("minReplicas").asInt());
        assertThat(Manifests.ofKind("KafkaTopic").stream().map(Doc::name).collect(Collectors.toSet()))
                .contains(Topics.TILES_TASKS.name());
    }
}
