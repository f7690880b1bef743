package org.zooscope.core.modelpkg.check;

import java.util.List;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.modelpkg.TileTensors;

/**
 * A model session seen as a worker sees it: tiles {@code [b, frames, y, x]} in, {@code [b, c, y, x]} on the tiles'
 * grid out, through the same {@link TileTensors} door (axis order, a 3D model's z block, an output at a coarser scale),
 * and the graph's shapes reported in that view. The test run's preview run and the graph checks use it, so a model
 * that passes them is fed as a preview feeds it. It does not own the session it wraps.
 */
final class TileSession implements ModelRunner.Session {
    private final ModelRunner.Session model;
    private final TileTensors door;

    private TileSession(ModelRunner.Session model, TileTensors door) {
        this.model = model;
        this.door = door;
    }

    static ModelRunner.Session of(ModelRunner.Session model, ModelDescription d) {
        return new TileSession(model, TileTensors.of(d));
    }

    @Override
    public List<ModelRunner.TensorInfo> inputs() {
        return model.inputs().stream()
                .map(t -> new ModelRunner.TensorInfo(t.name(), t.elementType(), door.inputAsTile(t.shape()))).toList();
    }

    @Override
    public List<ModelRunner.TensorInfo> outputs() {
        return model.outputs().stream()
                .map(t -> new ModelRunner.TensorInfo(t.name(), t.elementType(), door.outputAsTile(t.shape()))).toList();
    }

    @Override
    public NpyArray run(NpyArray tiles) throws ModelRunner.RunException {
        long[] s = tiles.shape();
        int b = (int) s[0];
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        NpyArray y = model.run(new NpyArray(door.inputShape(b, c, h, w), door.input(tiles.data(), b, c, h, w)));
        return door.output(y, h, w);
    }

    @Override
    public void close() {
        // the wrapped session is closed by its owner
    }
}
