package org.zooscope.core.events;

import java.time.Instant;
import java.util.Map;

/**
 * A hosted dataset (a large volume stored under {@code dataKey}, its {@code datasets/{id}/} prefix) is available for
 * viewing and full runs. {@code card} is what the catalog indexes: the fields of
 * {@link org.zooscope.core.dataset.DatasetCard} but the owner's hash ({@code id, name, description, modality, organism,
 * width, height, depth, dtype, voxelSize, levels, licence, citation, source, createdAt}); made by
 * {@link org.zooscope.core.dataset.DatasetCard#registered}.
 */
public record DatasetRegistered(String datasetId, String dataKey, Map<String, Object> card, Instant registeredAt) {
}
