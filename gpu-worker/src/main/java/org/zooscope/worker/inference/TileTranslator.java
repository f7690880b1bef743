package org.zooscope.worker.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import org.zooscope.core.modelpkg.TensorLayout;

/**
 * Plain float arrays in and out of an image model: one copy into the native tensor, one copy out. Tiles are
 * {@code [n, c, h, w]}; a channel-last model ({@code [n, h, w, c]}) gets them turned on the way in and its output turned
 * back on the way out, so nothing else in the worker knows its axis order. Native memory belongs to the
 * {@link TranslatorContext} and is freed after each call.
 */
public final class TileTranslator implements NoBatchifyTranslator<TileInput, TileOutput> {
    private final TensorLayout in;
    private final TensorLayout out;

    public TileTranslator(TensorLayout in, TensorLayout out) {
        this.in = in;
        this.out = out;
    }

    /** A channel-first model. */
    public TileTranslator() {
        this(TensorLayout.BCYX, TensorLayout.BCYX);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, TileInput t) {
        float[] data = in.fromBcyx(t.data(), t.batch(), t.channels(), t.height(), t.width());
        NDArray x = ctx.getNDManager().create(data, new Shape(in.shape(t.batch(), t.channels(), t.height(), t.width())));
        return new NDList(x);
    }

    @Override
    public TileOutput processOutput(TranslatorContext ctx, NDList list) {
        NDArray y = list.get(0);
        long[] s = y.getShape().getShape();
        if (s.length != 4) {
            throw new ModelOutputException("model output must have 4 axes [n, c, h, w] but has shape " + y.getShape());
        }
        int n = (int) s[0];
        int c = (int) s[out.channelAxis()];
        int h = (int) s[out.yAxis()];
        int w = (int) s[out.xAxis()];
        return new TileOutput(out.toBcyx(y.toFloatArray(), n, c, h, w), n, c, h, w);
    }
}
