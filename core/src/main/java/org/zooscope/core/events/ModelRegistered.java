package org.zooscope.core.events;

import java.time.Instant;
import java.util.Map;

/**
 * A model package is validated and stored under {@code packageKey} (its {@code bioimageio.yaml} and files).
 * {@code card} is the searchable model card (name, description, component, modality, dims, frames, voxelSize, ...).
 * A model that is not {@code published} is visible to its owner only: {@code ownerHash} is the hash of the uploader's
 * credential (null for bundled models, which belong to nobody).
 */
public record ModelRegistered(String modelId, String version, String packageKey, Map<String, Object> card,
                              boolean published, Instant registeredAt, String ownerHash) {

    /** A model with no owner (bundled with Zooscope). */
    public ModelRegistered(String modelId, String version, String packageKey, Map<String, Object> card,
                           boolean published, Instant registeredAt) {
        this(modelId, version, packageKey, card, published, registeredAt, null);
    }
}
