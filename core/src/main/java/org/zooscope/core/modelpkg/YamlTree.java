package org.zooscope.core.modelpkg;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a model description's YAML into plain maps, lists and scalars. SnakeYAML directly rather than Jackson's YAML
 * module: ecosystem descriptions write {@code data_range: [-.inf, .inf]}, which Jackson rejects as a malformed number
 * while YAML reads it as infinity. Timestamps stay ISO-8601 strings, as the bioimage.io schema has them.
 */
public final class YamlTree {
    /** A description is a few kilobytes; this bounds what a hostile one can make the parser do. */
    private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

    private YamlTree() {
    }

    /** The document's root, or throws with the parser's first line when it is not YAML. */
    public static Object read(byte[] yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_CODE_POINTS);
        return plain(new Yaml(new SafeConstructor(options)).load(new String(yaml, java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static Object plain(Object o) {
        if (o instanceof Date d) {
            return d.toInstant().atOffset(ZoneOffset.UTC).toLocalDateTime().toString();
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(plain(v)));
            return out;
        }
        return o;
    }
}
