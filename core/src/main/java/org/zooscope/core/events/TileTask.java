package org.zooscope.core.events;

import java.util.List;

/**
 * Run one model on one tile of one slice. The worker reads the planes named by {@code inputKeys} (one per z-frame, in
 * channel order), rebuilds the tile grid from {@code planeWidth, planeHeight, tileSize, halo, step} (the same grid the
 * planner made), cuts tile {@code tileIndex} with its halo, applies {@code transform} (the model's declared
 * preprocessing, resolved with whole-volume statistics), runs the model and writes the padded output channel
 * {@code outputChannel} to {@code outputKey}. The key is deterministic: a task done twice writes the same object.
 */
public record TileTask(String jobId, String modelId, String modelKey, int z, int tileIndex, List<String> inputKeys,
                       int planeWidth, int planeHeight, int tileSize, int halo, int step, InputTransform transform,
                       int outputChannel, Augmentation augmentation, String outputKey, int attempt) {

    /** Spreads one job's tiles over all partitions, so every worker shares the load. */
    public String partitionKey() {
        return jobId + "/" + modelId + "/" + z + "/" + tileIndex;
    }
}
