package org.zooscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zooscope.deploy.Manifests.Doc;

/** Every Kubernetes manifest under {@code deploy/k8s}, checked offline: schemas, Kustomize references, probes, limits. */
class ManifestsTest {
    private static final Set<String> KUSTOMIZE = Set.of("Kustomization", "Component");
    private static final Set<String> SERVICES = Set.of("gateway", "job-stream", "gpu-worker", "catalog-indexer");

    @Test
    void everyResourceAndPatchMatchesItsSchema() {
        List<String> problems = new ArrayList<>();
        List<Doc> docs = Manifests.all();
        for (Doc d : docs) {
            if (!KUSTOMIZE.contains(d.kind())) {
                ResourceCheck.problems(d.node()).forEach(p -> problems.add(d + ": " + p));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(docs.stream().map(Doc::kind)).contains("Deployment", "KafkaTopic", "KafkaNodePool", "Kafka",
                "ScaledObject", "HorizontalPodAutoscaler");
    }

    @Test
    void misspelledOrMisplacedFieldsAreFound() throws Exception {
        JsonNode deployment = Manifests.YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replica: 2
                  template:
                    spec:
                      containers:
                        - name: x
                          image: x
                          resources: {limit: {cpu: "1"}}
                """);
        assertThat(ResourceCheck.problems(deployment)).containsExactlyInAnyOrder(
                ".spec: unknown field(s) [replica]", ".spec.template.spec.containers[0].resources: unknown field(s) [limit]");
        JsonNode topic = Manifests.YAML.readTree("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partition: 6}
                """);
        assertThat(ResourceCheck.problems(topic)).containsExactly(".spec: unknown field(s) [partition]");
        JsonNode scaled = Manifests.YAML.readTree("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec:
                  scaleTargetRef: {name: w}
                  minReplicas: 0
                  triggers: [{type: kafka, metadata: {lagThreshold: 5}}]
                """);
        assertThat(ResourceCheck.problems(scaled)).hasSize(2);
        JsonNode unknownKind = Manifests.YAML.readTree("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n");
        assertThat(ResourceCheck.problems(unknownKind)).singleElement().asString().startsWith("no schema for v1 Pod");
    }

    @Test
    void kustomizationsReferenceFilesThatExist() {
        List<String> problems = new ArrayList<>();
        for (Doc k : Manifests.all().stream().filter(d -> KUSTOMIZE.contains(d.kind())).toList()) {
            Path dir = k.file().getParent();
            for (String field : List.of("resources", "components")) {
                k.node().path(field).forEach(r -> {
                    Path p = dir.resolve(r.asText()).normalize();
                    if (!Files.exists(p)) {
                        problems.add(k + ": " + field + " " + r.asText() + " does not exist");
                    }
                });
            }
            k.node().path("patches").forEach(p -> {
                Path file = dir.resolve(p.path("path").asText()).normalize();
                if (!Files.isRegularFile(file)) {
                    problems.add(k + ": patch " + file + " does not exist");
                }
            });
            k.node().path("images").forEach(i -> {
                if (!Set.of("zooscope/gateway", "zooscope/job-stream", "zooscope/gpu-worker", "zooscope/catalog-indexer")
                        .contains(i.path("name").asText())) {
                    problems.add(k + ": image " + i.path("name").asText() + " is none of the services'");
                }
            });
        }
        assertThat(problems).isEmpty();
        assertThat(Manifests.K8S.resolve("overlays/cpu/kustomization.yaml")).isRegularFile();
        assertThat(Manifests.K8S.resolve("overlays/gpu/kustomization.yaml")).isRegularFile();
    }

    @Test
    void everyServiceHasProbesResourcesAndItsSettingsFromConfigOrSecrets() {
        List<Doc> deployments = Manifests.read(Manifests.K8S.resolve("base/gateway.yaml")).stream()
                .filter(d -> d.kind().equals("Deployment")).toList();
        List<Doc> all = new ArrayList<>(deployments);
        for (String s : List.of("job-stream", "gpu-worker", "catalog-indexer")) {
            all.add(Manifests.one(Manifests.K8S.resolve("base/" + s + ".yaml"), "Deployment", s));
        }
        assertThat(all.stream().map(Doc::name)).containsExactlyInAnyOrderElementsOf(SERVICES);
        Set<String> secrets = new HashSet<>();
        Manifests.one(Manifests.K8S.resolve("components/self-hosted/kustomization.yaml"), "Component", "")
                .node().path("secretGenerator").forEach(g -> g.path("literals")
                        .forEach(l -> secrets.add(g.path("name").asText() + "/" + l.asText().split("=", 2)[0])));
        for (Doc d : all) {
            JsonNode c = d.node().path("spec").path("template").path("spec").path("containers").get(0);
            assertThat(c.path("image").asText()).as(d + " image").isEqualTo("zooscope/" + d.name() + ":0.1.0-SNAPSHOT");
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                assertThat(c.has(probe)).as(d + " " + probe).isTrue();
            }
            for (String bound : List.of("requests", "limits")) {
                assertThat(c.path("resources").path(bound).has("cpu")).as(d + " cpu " + bound).isTrue();
                assertThat(c.path("resources").path(bound).has("memory")).as(d + " memory " + bound).isTrue();
            }
            assertThat(c.path("envFrom").get(0).path("configMapRef").path("name").asText()).isEqualTo("zooscope-config");
            c.path("env").forEach(e -> {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode() && !ref.path("optional").asBoolean()) {
                    assertThat(secrets).as(d + " " + e.path("name").asText() + ": a key of a Secret the docs name")
                            .contains(ref.path("name").asText() + "/" + ref.path("key").asText());
                }
            });
        }
    }

    @Test
    void jobStreamsOwnTopicsAreAsReplicatedAsTheBrokersDemand() {
        JsonNode c = Manifests.one(Manifests.K8S.resolve("base/job-stream.yaml"), "Deployment", "job-stream").node()
                .path("spec").path("template").path("spec").path("containers").get(0);
        int factor = 0;
        for (JsonNode e : c.path("env")) {
            if (e.path("name").asText().equals("ZOOSCOPE_JOBSTREAM_REPLICATION_FACTOR")) {
                factor = Integer.parseInt(e.path("value").asText());
            }
        }
        int minInsync = Manifests.one(Manifests.K8S.resolve("base/kafka.yaml"), "Kafka", "zooscope").node()
                .path("spec").path("kafka").path("config").path("min.insync.replicas").asInt();
        // exactly-once writes need min.insync.replicas copies: fewer replicas and job-stream never writes
        assertThat(minInsync).isGreaterThan(0);
        assertThat(factor).isGreaterThanOrEqualTo(minInsync);
        for (String autoscaled : List.of("gateway", "job-stream", "gpu-worker")) {
            Doc d = Manifests.read(Manifests.K8S.resolve("base/" + autoscaled + ".yaml")).stream()
                    .filter(x -> x.kind().equals("Deployment")).findFirst().orElseThrow();
            // an apply must not reset what the autoscaler set
            assertThat(d.node().path("spec").has("replicas")).as(autoscaled + " replicas").isFalse();
        }
    }

    @Test
    void gpuWorkersRunOnGpuNodesWithAtLeast11Gb() {
        Doc patch = Manifests.one(Manifests.K8S.resolve("overlays/gpu/gpu-worker.yaml"), "Deployment", "gpu-worker");
        JsonNode pod = patch.node().path("spec").path("template").path("spec");
        JsonNode c = pod.path("containers").get(0);
        assertThat(c.path("resources").path("limits").path("nvidia.com/gpu").asText()).isEqualTo("1");
        assertThat(c.path("env").findValuesAsText("value")).contains("gpu");
        JsonNode term = pod.path("affinity").path("nodeAffinity").path("requiredDuringSchedulingIgnoredDuringExecution")
                .path("nodeSelectorTerms").get(0).path("matchExpressions").get(0);
        assertThat(term.path("key").asText()).isEqualTo("nvidia.com/gpu.memory");
        assertThat(term.path("operator").asText()).isEqualTo("Gt");
        // the label is in MiB: Gt 11263 means at least 11 GiB
        assertThat(Integer.parseInt(term.path("values").get(0).asText())).isGreaterThanOrEqualTo(11 * 1024 - 1);
        JsonNode images = Manifests.read(Manifests.K8S.resolve("overlays/gpu/kustomization.yaml")).get(0).node().path("images");
        assertThat(images.findValuesAsText("newTag")).contains("0.1.0-SNAPSHOT-gpu");
    }
}
