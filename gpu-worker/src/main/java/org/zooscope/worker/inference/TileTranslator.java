package org.zooscope.worker.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.modelpkg.TensorLayout;
import org.zooscope.core.modelpkg.TileTensors;

/**
 * Plain float arrays in and out of an image model: one copy into the native tensor, one copy out. Tiles are
 * {@code [n, c, h, w]}; the model's own tensors (another axis order, a 3D model's z block, an output at a coarser
 * scale) are made and read back by {@link TileTensors}, the door the upload's test run uses too, so nothing else in
 * the worker knows them. Native memory belongs to the {@link TranslatorContext} and is freed after each call.
 */
public final class TileTranslator implements NoBatchifyTranslator<TileInput, TileOutput> {
    /** The tile's {@code {h, w}}, kept from input to output: a coarser output is upsampled to it. */
    private static final String TILE = "zooscope.tile";

    private final TileTensors door;

    public TileTranslator(TileTensors door) {
        this.door = door;
    }

    /** A model on the tiles' grid without a z axis, in these axis orders. */
    public TileTranslator(TensorLayout in, TensorLayout out) {
        this(new TileTensors(in, out, 0, 1));
    }

    /** A channel-first model. */
    public TileTranslator() {
        this(TensorLayout.BCYX, TensorLayout.BCYX);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, TileInput t) {
        ctx.setAttachment(TILE, new int[] {t.height(), t.width()});
        float[] data = door.input(t.data(), t.batch(), t.channels(), t.height(), t.width());
        NDArray x = ctx.getNDManager().create(data,
                new Shape(door.inputShape(t.batch(), t.channels(), t.height(), t.width())));
        return new NDList(x);
    }

    @Override
    public TileOutput processOutput(TranslatorContext ctx, NDList list) {
        NDArray y = list.get(0);
        long[] s = y.getShape().getShape();
        if (s.length != (door.depth() > 0 ? 5 : 4)) {
            throw new ModelOutputException("model output must have " + (door.depth() > 0 ? "5 axes [n, c, z, h, w]"
                    : "4 axes [n, c, h, w]") + " but has shape " + y.getShape());
        }
        // no tile size (an output read on its own): the output's own grid
        int[] tile = ctx.getAttachment(TILE) instanceof int[] hw ? hw : new int[] {-1, -1};
        NpyArray out = door.output(new NpyArray(s, y.toFloatArray()), tile[0], tile[1]);
        long[] o = out.shape();
        return new TileOutput(out.data(), (int) o[0], (int) o[1], (int) o[2], (int) o[3]);
    }
}
