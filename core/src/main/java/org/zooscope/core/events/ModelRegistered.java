package org.zooscope.core.events;

import java.time.Instant;
import java.util.Map;

/**
 * A model package is validated and stored under {@code packageKey} (its {@code bioimageio.yaml} and files).
 * {@code card} is the searchable model card (name, description, component, modality, dims, frames, voxelSize, ...).
 */
public record ModelRegistered(String modelId, String version, String packageKey, Map<String, Object> card,
                              boolean published, Instant registeredAt) {
}
