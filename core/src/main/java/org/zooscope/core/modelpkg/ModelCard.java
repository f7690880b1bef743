package org.zooscope.core.modelpkg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The searchable card of a model, built from its description: what the zoo page, the search index and
 * {@code GET /api/v1/models} show. Keys follow the public contract ({@code id, name, description, modality, component,
 * dims, frames, voxelSize, version, identifier, ...}), and its {@code tier} ({@link ModelTier}, with its
 * {@code tierMaxMsPerTile}) and {@code msPerTile} when the package states them.
 */
public final class ModelCard {
    /**
     * bioimage.io's tag vocabulary ({@code tag_categories.json}): a model from the ecosystem has no Zooscope metadata,
     * so its modality and component facets come from these tags, written as Zooscope's own models write them.
     */
    private static final Map<String, String> MODALITY_TAGS = Map.of(
            "electron-microscopy", "electron microscopy", "cryo-electron-microscopy", "cryo-electron microscopy",
            "fluorescence-light-microscopy", "fluorescence light microscopy",
            "transmission-light-microscopy", "transmission light microscopy",
            "super-resolution-microscopy", "super-resolution microscopy", "x-ray-microscopy", "x-ray microscopy",
            "high-content-imaging", "high-content imaging", "whole-slide-imaging", "whole-slide imaging");
    private static final Map<String, String> CONTENT_TAGS = Map.of(
            "cells", "cells", "nuclei", "nuclei", "mitochondria", "mitochondria", "cell-membrane", "membranes",
            "vasculature", "vasculature", "extracellular-vesicles", "extracellular vesicles", "tissue", "tissue");

    private ModelCard() {
    }

    private static String fromTags(List<String> tags, Map<String, String> vocabulary, String fallback) {
        for (String t : tags == null ? List.<String>of() : tags) {
            String v = vocabulary.get(t.toLowerCase(java.util.Locale.ROOT));
            if (v != null) {
                return v;
            }
        }
        return fallback;
    }

    /** The stable, citable identifier of one model version (a DOI replaces it once one is minted). */
    public static String identifier(String id, String version) {
        return "zooscope:model/" + id + "/" + version;
    }

    public static Map<String, Object> of(ModelDescription d) {
        Map<String, Object> z = d.zooscope();
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("id", d.id());
        card.put("name", d.name());
        card.put("description", d.description());
        card.put("version", d.version());
        card.put("identifier", identifier(d.id(), d.version()));
        String component = String.valueOf(z.getOrDefault("component", fromTags(d.tags(), CONTENT_TAGS, "unspecified")));
        card.put("component", component);
        card.put("structure", z.getOrDefault("structure", component));
        card.put("modality", z.getOrDefault("modality", fromTags(d.tags(), MODALITY_TAGS, "unspecified")));
        card.put("organism", z.getOrDefault("organism", "unspecified"));
        card.put("staining", z.getOrDefault("staining", "unspecified"));
        card.put("frames", d.frames());
        card.put("dims", d.depth() > 0 ? "3D" : d.frames() > 1 ? "2.5D" : "2D");
        card.put("voxelSize", z.get("voxelSize"));
        card.put("license", d.license());
        card.put("tags", d.tags());
        card.put("cite", d.cite());
        card.put("authors", d.authors());
        card.put("scores", z.get("scores"));
        // what it costs: its tier, and the worker's measured time per 512-px tile on 2 CPU threads when measured
        ModelTier tier = ModelTier.of(z);
        card.put("tier", tier == null ? null : tier.wire());
        // the tier's stated limit, so the page need not know the tiers' numbers
        card.put("tierMaxMsPerTile", tier == null ? null : tier.maxMsPerTile());
        if (z.get("timing") instanceof Map<?, ?> timing && timing.get("ort_512_ms") instanceof Number ms) {
            card.put("msPerTile", ms.doubleValue());
        }
        card.put("halo", d.halo());
        card.put("minSize", d.minSize());
        card.put("step", d.step());
        card.put("formatVersion", d.formatVersion());
        card.put("covers", d.covers() == null ? List.of() : d.covers());
        card.values().removeIf(java.util.Objects::isNull);
        return card;
    }
}
