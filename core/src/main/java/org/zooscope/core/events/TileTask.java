package org.zooscope.core.events;

import java.util.List;

/**
 * Run one model on one tile of one slice. The worker reads the planes named by {@code inputKeys} (one per z-frame,
 * in channel order), cuts the padded tile, runs the model and writes the core region to {@code outputKey}, a
 * deterministic key, so a task done twice writes the same object.
 *
 * @param x,y,width,height the tile's core region in the plane
 * @param halo             context added on every side (mirrored at the volume edge)
 * @param step             padded sizes are rounded up to a multiple of this
 */
public record TileTask(String jobId, String modelId, String modelKey, int z, int tileIndex, List<String> inputKeys,
                       int planeWidth, int planeHeight, int x, int y, int width, int height, int halo, int step,
                       Augmentation augmentation, String outputKey, int attempt) {

    public String partitionKey() {
        return jobId + "/" + modelId + "/" + z + "/" + tileIndex;
    }
}
