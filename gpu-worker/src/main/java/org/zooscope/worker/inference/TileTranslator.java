package org.zooscope.worker.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Plain float arrays in and out of a {@code [n, c, h, w]} image model: one copy into the native tensor, one copy
 * out. Native memory belongs to the {@link TranslatorContext} and is freed after each call.
 */
public final class TileTranslator implements NoBatchifyTranslator<TileInput, TileOutput> {

    @Override
    public NDList processInput(TranslatorContext ctx, TileInput in) {
        NDArray x = ctx.getNDManager().create(in.data(), new Shape(in.batch(), in.channels(), in.height(), in.width()));
        return new NDList(x);
    }

    @Override
    public TileOutput processOutput(TranslatorContext ctx, NDList list) {
        NDArray y = list.get(0);
        long[] s = y.getShape().getShape();
        if (s.length != 4) {
            throw new ModelOutputException("model output must have 4 axes [n, c, h, w] but has shape " + y.getShape());
        }
        return new TileOutput(y.toFloatArray(), (int) s[0], (int) s[1], (int) s[2], (int) s[3]);
    }
}
