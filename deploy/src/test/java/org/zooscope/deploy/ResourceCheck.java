package org.zooscope.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one resource offline, as an API server with the operators' CRDs would: Kubernetes kinds and Strimzi's
 * against their typed models (fabric8's Kubernetes model, Strimzi's API; the CRDs are generated from the same
 * classes), KEDA's ScaledObject against the JSON schema carried in the test resources. The typed models keep fields
 * they do not know in {@code additionalProperties} instead of failing, so every object read is searched for them: a
 * misspelled or misplaced field is an error, as {@code kubectl apply --validate=strict} makes it.
 */
final class ResourceCheck {
    /** Every kind the manifests may use, by apiVersion and kind. */
    private static final Map<String, Class<?>> TYPED = Map.ofEntries(
            Map.entry("apps/v1 Deployment", Deployment.class),
            Map.entry("apps/v1 StatefulSet", StatefulSet.class),
            Map.entry("v1 Service", Service.class),
            Map.entry("v1 ConfigMap", ConfigMap.class),
            Map.entry("v1 Secret", Secret.class),
            Map.entry("batch/v1 Job", Job.class),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("kafka.strimzi.io/v1 Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1 KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1 KafkaTopic", KafkaTopic.class));
    private static final Map<String, String> SCHEMAS = Map.of(
            "keda.sh/v1alpha1 ScaledObject", "/schemas/keda-scaledobject-v1alpha1.json");

    private ResourceCheck() {
    }

    static boolean known(String apiVersion, String kind) {
        String key = apiVersion + " " + kind;
        return TYPED.containsKey(key) || SCHEMAS.containsKey(key);
    }

    /** The problems of one resource (or of a patch of one: fields may be missing, none may be unknown). */
    static List<String> problems(JsonNode resource) {
        String key = resource.path("apiVersion").asText() + " " + resource.path("kind").asText();
        List<String> problems = new ArrayList<>();
        if (TYPED.containsKey(key)) {
            Object typed;
            try {
                typed = Manifests.YAML.copy().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .treeToValue(resource, TYPED.get(key));
            } catch (IOException | IllegalArgumentException e) {
                return List.of(key + ": " + e.getMessage().lines().findFirst().orElse(""));
            }
            unknownFields(typed, "", problems, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        } else if (SCHEMAS.containsKey(key)) {
            for (Error e : schema(SCHEMAS.get(key)).validate(resource)) {
                problems.add(e.getInstanceLocation() + ": " + e.getMessage());
            }
        } else {
            problems.add("no schema for " + key + " (add the kind to " + ResourceCheck.class.getSimpleName() + ")");
        }
        return problems;
    }

    private static Schema schema(String resource) {
        try (InputStream in = ResourceCheck.class.getResourceAsStream(resource)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(Manifests.JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Walks a typed model object and reports every field the model did not know. */
    private static void unknownFields(Object o, String path, List<String> problems, Set<Object> seen) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>
                || !seen.add(o)) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || !(m.getName().startsWith("get") || m.getName().startsWith("is"))) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(o);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add((path.isEmpty() ? "." : path) + ": unknown field(s) " + extra.keySet());
                }
            } else {
                unknownFields(value, path + "." + property(m.getName()), problems, seen);
            }
        }
    }

    private static String property(String getter) {
        String p = getter.startsWith("is") ? getter.substring(2) : getter.substring(3);
        return p.isEmpty() ? p : Character.toLowerCase(p.charAt(0)) + p.substring(1);
    }
}
