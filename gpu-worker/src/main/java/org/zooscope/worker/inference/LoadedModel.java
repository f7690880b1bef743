package org.zooscope.worker.inference;

import ai.djl.repository.zoo.ZooModel;
import org.zooscope.core.modelpkg.ModelDescription;

/** A model package loaded into ONNX Runtime: its description and the engine's model (shared by all threads). */
public record LoadedModel(String key, ModelDescription description, ZooModel<TileInput, TileOutput> model)
        implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}
