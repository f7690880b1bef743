package org.zooscope.gateway.identifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DataCite metadata (REST API JSON, kernel 4) for one published model version, built from its card. Produced for every
 * published version, whether or not a DOI is minted, and stored next to the package as {@code datacite.json}.
 */
public final class DataCiteMetadata {
    private DataCiteMetadata() {
    }

    /** The DOI a model version gets under {@code prefix}: stable, so minting again names the same DOI. */
    public static String doi(String prefix, String modelId, String version) {
        String suffix = ("zooscope." + modelId + ".v" + version).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        return prefix + "/" + suffix;
    }

    /**
     * @param doi         the DOI to register, or null when none is minted (the JSON then carries no {@code doi})
     * @param landingUrl  the model version's landing page
     * @param publisher   who publishes (the deployment)
     * @param year        publication year
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> of(Map<String, Object> card, String doi, String landingUrl, String publisher, int year) {
        Map<String, Object> a = new LinkedHashMap<>();
        if (doi != null) {
            a.put("doi", doi);
            a.put("event", "publish");
        }
        List<Map<String, Object>> creators = new ArrayList<>();
        for (Object o : list(card.get("authors"))) {
            if (o instanceof Map<?, ?> author && author.get("name") != null) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("name", String.valueOf(author.get("name")));
                if (author.get("affiliation") != null) {
                    c.put("affiliation", List.of(Map.of("name", String.valueOf(author.get("affiliation")))));
                }
                creators.add(c);
            }
        }
        if (creators.isEmpty()) {
            creators.add(Map.of("name", publisher, "nameType", "Organizational"));
        }
        a.put("creators", creators);
        a.put("titles", List.of(Map.of("title", String.valueOf(card.getOrDefault("name", card.get("id"))))));
        a.put("publisher", Map.of("name", publisher));
        a.put("publicationYear", year);
        a.put("types", Map.of("resourceTypeGeneral", "Model", "resourceType", "bioimage.io model package (ONNX)"));
        a.put("url", landingUrl);
        a.put("version", String.valueOf(card.get("version")));
        if (card.get("description") != null) {
            a.put("descriptions", List.of(Map.of("description", String.valueOf(card.get("description")),
                    "descriptionType", "Abstract")));
        }
        if (card.get("license") != null) {
            a.put("rightsList", List.of(Map.of("rightsIdentifier", String.valueOf(card.get("license")),
                    "rightsIdentifierScheme", "SPDX", "schemeUri", "https://spdx.org/licenses/")));
        }
        List<Map<String, Object>> subjects = new ArrayList<>();
        for (Object t : list(card.get("tags"))) {
            subjects.add(Map.of("subject", String.valueOf(t)));
        }
        for (String facet : List.of("modality", "component", "organism")) {
            Object v = card.get(facet);
            if (v != null && !"unspecified".equals(v)) {
                subjects.add(Map.of("subject", String.valueOf(v)));
            }
        }
        a.put("subjects", subjects);
        List<Map<String, Object>> related = new ArrayList<>();
        for (Object o : list(card.get("cite"))) {
            if (o instanceof Map<?, ?> cite && cite.get("doi") != null) {
                related.add(Map.of("relatedIdentifier", String.valueOf(cite.get("doi")), "relatedIdentifierType", "DOI",
                        "relationType", "References"));
            }
        }
        if (!related.isEmpty()) {
            a.put("relatedIdentifiers", related);
        }
        a.put("alternateIdentifiers", List.of(Map.of("alternateIdentifier", String.valueOf(card.get("identifier")),
                "alternateIdentifierType", "Zooscope")));
        a.put("schemaVersion", "http://datacite.org/schema/kernel-4");
        return Map.of("data", Map.of("type", "dois", "attributes", a));
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }
}
