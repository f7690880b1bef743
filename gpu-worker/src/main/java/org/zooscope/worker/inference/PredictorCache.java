package org.zooscope.worker.inference;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.HashMap;
import java.util.Map;

/** One predictor per model for one thread (DJL predictors are not thread-safe). Not thread-safe itself. */
public final class PredictorCache implements AutoCloseable {
    private final Map<String, Predictor<TileInput, TileOutput>> predictors = new HashMap<>();

    public TileOutput predict(LoadedModel model, TileInput input) throws TranslateException {
        return predictors.computeIfAbsent(model.key(), k -> model.model().newPredictor()).predict(input);
    }

    @Override
    public void close() {
        predictors.values().forEach(Predictor::close);
        predictors.clear();
    }
}
