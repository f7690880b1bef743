package org.zooscope.core.dataset;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.zooscope.core.events.DatasetRegistered;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.volume.VoxelSize;

/**
 * What a hosted dataset is: its description for people (name, modality, organism, licence, citation, and
 * {@code source}: where its voxels come from and how it was assembled) and its shape (level-0 voxels, sample type,
 * voxel size, pyramid levels). Stored at {@link DatasetKeys#card}, announced on {@code zooscope.datasets.registered}.
 */
public record DatasetCard(String id, String name, String description, String modality, String organism,
                          int width, int height, int depth, String dtype, VoxelSize voxelSize, int levels,
                          String licence, String citation, String source, String ownerHash, Instant createdAt) {

    public DatasetCard {
        if (!DatasetKeys.isValidId(id)) {
            throw new IllegalArgumentException("dataset id '" + id + "' must be 1-63 lower-case letters, digits or dashes");
        }
    }

    public DatasetCard withShape(int w, int h, int d, String type, VoxelSize vs, int levelCount, Instant at) {
        return new DatasetCard(id, name, description, modality, organism, w, h, d, type, vs, levelCount, licence,
                citation, source, ownerHash, at);
    }

    /** The card as the catalog indexes it (JSON field names; the owner's hash left out). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>(EventJson.mapper().convertValue(this, Map.class));
        m.remove("ownerHash");
        if (m.get("voxelSize") instanceof Map<?, ?> vs) {
            Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) vs);
            copy.remove("known");
            m.put("voxelSize", copy);
        }
        return m;
    }

    /** The event that announces this dataset on {@code zooscope.datasets.registered}. */
    public DatasetRegistered registered(Instant at) {
        return new DatasetRegistered(id, DatasetKeys.prefix(id), asMap(), at);
    }
}
