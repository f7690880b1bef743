package org.zooscope.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The checked-in manifests as parsed YAML documents, each with the file it came from. */
final class Manifests {
    /** The module's directory: Maven runs the tests there. */
    static final Path DEPLOY = Path.of("").toAbsolutePath();
    static final Path K8S = DEPLOY.resolve("k8s");
    static final Path COMPOSE = DEPLOY.resolve("compose/compose.yaml");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One YAML document of a file. */
    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String apiVersion() {
            return node.path("apiVersion").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return DEPLOY.relativize(file) + " " + kind() + "/" + name();
        }
    }

    private Manifests() {
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Doc> read(Path file) {
        List<Doc> docs = new ArrayList<>();
        try (YAMLParser p = (YAMLParser) YAML.getFactory().createParser(file.toFile())) {
            var it = YAML.readValues(p, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isMissingNode() && !n.isNull()) {
                    docs.add(new Doc(file, n));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        return docs;
    }

    static List<Doc> all() {
        return yamlFiles(K8S).stream().flatMap(f -> read(f).stream()).toList();
    }

    static List<Doc> ofKind(String kind) {
        return all().stream().filter(d -> d.kind().equals(kind)).toList();
    }

    static Doc one(Path file, String kind, String name) {
        return read(file).stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + file));
    }
}
