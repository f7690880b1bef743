package org.zooscope.worker.inference;

/**
 * What the ONNX graph itself declares about its image input and output, read from the session: the sizes are -1
 * where an axis is dynamic.
 *
 * @param inputName      the graph's input the tile is fed to
 * @param batch          the input's batch size, -1 when dynamic (then tiles and variants run batched)
 * @param inputChannels  the input's channel count, -1 when dynamic
 * @param outputChannels the output's channel count, -1 when dynamic
 */
public record ModelSignature(String inputName, long batch, long inputChannels, long outputChannels) {

    /** Whether several tiles (or augmentation variants) can go through one run. */
    public boolean batchable() {
        return batch < 0;
    }
}
