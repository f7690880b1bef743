package org.zooscope.worker.inference;

import ai.djl.repository.zoo.ZooModel;
import org.zooscope.core.modelpkg.ModelDescription;

/**
 * A model package loaded into ONNX Runtime: its description, what its ONNX graph accepts, and the engine's model
 * (shared by all threads; each thread makes its own predictor).
 */
public record LoadedModel(String key, ModelDescription description, ModelSignature signature,
                          ZooModel<TileInput, TileOutput> model) implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}
