package org.zooscope.core.modelpkg.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a model description against the bioimage.io JSON schema (bundled, MIT licence, see
 * {@code resources/bioimageio/README.md}): the 0.4 model definition for format 0.4.x, the 0.5 one for 0.5.x.
 *
 * <p>The schema pins {@code format_version} to the latest patch release of each minor format. bioimage.io's own
 * loader reads an older patch release (0.5.4, 0.4.9) as the latest one, so this check does too: the description is
 * validated with its {@code format_version} replaced by the pinned one.
 */
public final class SchemaCheck {
    private static final String RESOURCE = "/bioimageio/bioimageio_schema.json";
    private static final Map<String, String> DEFINITIONS = Map.of(
            "0.4", "bioimageio__spec__model__v0_4__ModelDescr",
            "0.5", "bioimageio__spec__model__v0_5__ModelDescr");
    /** More than this many schema messages are summarised: the first ones say what is wrong. */
    private static final int MAX_MESSAGES = 25;
    private static final int MAX_MESSAGE_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();
    private static volatile JsonNode root;

    private SchemaCheck() {
    }

    /** Adds one problem per schema violation of {@code description} (the YAML tree as read). */
    public static void check(Map<String, Object> description, List<String> problems) {
        Object fv = description.get("format_version");
        String minor = fv == null ? null : minorOf(String.valueOf(fv));
        if (minor == null || !DEFINITIONS.containsKey(minor)) {
            problems.add("schema: format_version '" + fv + "' is not a bioimage.io model format Zooscope reads (0.4.x or 0.5.x)");
            return;
        }
        Schema schema = COMPILED.computeIfAbsent(minor, SchemaCheck::compile);
        ObjectNode instance = JSON.valueToTree(description);
        instance.put("format_version", pinnedVersion(minor));
        List<Error> errors = schema.validate(instance);
        int shown = 0;
        for (Error e : errors) {
            if (shown++ == MAX_MESSAGES) {
                problems.add("schema: " + (errors.size() - MAX_MESSAGES) + " more schema violations");
                break;
            }
            String where = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
            problems.add("schema: " + (where.isEmpty() || where.equals("$") ? "" : where + ": ") + shortened(e.getMessage()));
        }
    }

    /** An enumeration of every SPDX licence would drown the other problems: long messages are cut. */
    private static String shortened(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message : message.substring(0, MAX_MESSAGE_CHARS) + "…";
    }

    private static String minorOf(String version) {
        String[] parts = version.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : null;
    }

    private static String pinnedVersion(String minor) {
        return schemaRoot().path("$defs").path(DEFINITIONS.get(minor)).path("properties").path("format_version")
                .path("const").asText();
    }

    private static Schema compile(String minor) {
        ObjectNode wrapper = schemaRoot().deepCopy();
        wrapper.remove("oneOf");
        wrapper.remove("discriminator");
        wrapper.put("$ref", "#/$defs/" + DEFINITIONS.get(minor));
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(wrapper);
    }

    private static JsonNode schemaRoot() {
        JsonNode r = root;
        if (r == null) {
            try (InputStream in = SchemaCheck.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the jar");
                }
                r = JSON.readTree(in);
                root = r;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
        return r;
    }
}
