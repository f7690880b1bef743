package org.zooscope.worker.inference;

import ai.djl.repository.zoo.ZooModel;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.process.ModelProcessing;
import org.zooscope.core.process.Processing;

/**
 * A model package loaded into ONNX Runtime: its description, what its ONNX graph accepts, and the engine's model
 * (shared by all threads; each thread makes its own predictor).
 */
public record LoadedModel(String key, ModelDescription description, ModelProcessing processing,
                          ModelSignature signature, ZooModel<TileInput, TileOutput> model) implements AutoCloseable {

    /** The model's postprocessing: statistics-free (checked when the package loads), the same for every tile. */
    public Processing.Bound postprocessing() {
        return processing.postprocessing().bindFixed();
    }

    @Override
    public void close() {
        model.close();
    }
}
