package org.zooscope.core.modelpkg;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The searchable card of a model, built from its description: what the zoo page, the search index and
 * {@code GET /api/v1/models} show. Keys follow the public contract ({@code id, name, description, modality, component,
 * dims, frames, voxelSize, version, identifier, ...}).
 */
public final class ModelCard {
    private ModelCard() {
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
        card.put("component", z.getOrDefault("component", "unspecified"));
        card.put("structure", z.getOrDefault("structure", z.getOrDefault("component", "unspecified")));
        card.put("modality", z.getOrDefault("modality", "unspecified"));
        card.put("organism", z.getOrDefault("organism", "unspecified"));
        card.put("staining", z.getOrDefault("staining", "unspecified"));
        card.put("frames", d.frames());
        card.put("dims", d.frames() > 1 ? "2.5D" : "2D");
        card.put("voxelSize", z.get("voxelSize"));
        card.put("license", d.license());
        card.put("tags", d.tags());
        card.put("cite", d.cite());
        card.put("authors", d.authors());
        card.put("scores", z.get("scores"));
        card.put("halo", d.halo());
        card.put("minSize", d.minSize());
        card.put("step", d.step());
        card.put("formatVersion", d.formatVersion());
        card.put("covers", d.covers() == null ? List.of() : d.covers());
        card.values().removeIf(java.util.Objects::isNull);
        return card;
    }
}
