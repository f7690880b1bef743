package org.zooscope.core.events;

import java.time.Instant;
import java.util.Map;

/**
 * A hosted dataset (a large volume stored under {@code dataKey}) is available for full runs. {@code card} is what the
 * catalog indexes: {@code id, name, description, modality, organism, license, dims, voxelSize, width, height, depth, ...}.
 */
public record DatasetRegistered(String datasetId, String dataKey, Map<String, Object> card, Instant registeredAt) {
}
