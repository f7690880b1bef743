package org.zooscope.core.modelpkg.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaCheckTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void aMinimalValid05DescriptionPasses() throws Exception {
        List<String> problems = new ArrayList<>();
        SchemaCheck.check(valid05(), problems);
        assertThat(problems).isEmpty();
    }

    @Test
    void namesMissingAndMistypedFields() throws Exception {
        Map<String, Object> d = new LinkedHashMap<>(valid05());
        d.remove("weights");
        d.put("name", 42);
        List<String> problems = new ArrayList<>();

        SchemaCheck.check(d, problems);

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("schema: ").contains("weights"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("name"));
    }

    @Test
    void anUnknownFormatIsOneProblem() {
        List<String> problems = new ArrayList<>();
        SchemaCheck.check(Map.of("format_version", "0.3.2", "type", "model"), problems);
        assertThat(problems).singleElement().asString().contains("0.3.2");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> valid05() throws Exception {
        return YAML.readValue("""
                format_version: 0.5.4
                type: model
                name: Tiny model
                description: a test
                authors: [{name: A}]
                cite: [{text: t, url: "https://example.org"}]
                license: MIT
                documentation: README.md
                inputs:
                  - id: input
                    axes: [{type: batch}, {type: channel, channel_names: [raw]}, {type: space, id: y, size: 8}, {type: space, id: x, size: 8}]
                    test_tensor: {source: in.npy}
                outputs:
                  - id: prob
                    axes: [{type: batch}, {type: channel, channel_names: [fg]}, {type: space, id: y, size: 8}, {type: space, id: x, size: 8}]
                    test_tensor: {source: out.npy}
                weights:
                  onnx: {source: weights.onnx, opset_version: 17}
                """, Map.class);
    }
}
