package org.zooscope.core.modelpkg.check;

import java.util.List;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.modelpkg.TensorLayout;

/**
 * A model session seen channel-first whatever the model's own axis order: tensors are turned into the model's layout
 * on the way in and back on the way out, and the graph's shapes are reported as {@code [b, c, y, x]}, so the checks
 * and the processing ops each exist once, for one layout. The whole test input runs through it; other ranks (a 3D
 * model's {@code [b, c, z, y, x]}) and output sizes pass as they are. Tiles go through {@link TileSession}.
 */
final class ChannelFirstSession implements ModelRunner.Session {
    private final ModelRunner.Session model;
    private final TensorLayout in;
    private final TensorLayout out;

    private ChannelFirstSession(ModelRunner.Session model, TensorLayout in, TensorLayout out) {
        this.model = model;
        this.in = in;
        this.out = out;
    }

    static ModelRunner.Session of(ModelRunner.Session model, ModelDescription d) {
        return d.inputLayout() == TensorLayout.BCYX && d.outputLayout() == TensorLayout.BCYX ? model
                : new ChannelFirstSession(model, d.inputLayout(), d.outputLayout());
    }

    @Override
    public List<ModelRunner.TensorInfo> inputs() {
        return model.inputs().stream().map(t -> channelFirst(t, in)).toList();
    }

    @Override
    public List<ModelRunner.TensorInfo> outputs() {
        return model.outputs().stream().map(t -> channelFirst(t, out)).toList();
    }

    private static ModelRunner.TensorInfo channelFirst(ModelRunner.TensorInfo t, TensorLayout layout) {
        long[] s = t.shape();
        if (s.length != 4) {
            return t;
        }
        return new ModelRunner.TensorInfo(t.name(), t.elementType(),
                new long[] {s[0], s[layout.channelAxis()], s[layout.yAxis()], s[layout.xAxis()]});
    }

    @Override
    public NpyArray run(NpyArray input) throws ModelRunner.RunException {
        return out.toBcyx(model.run(in.fromBcyx(input)));
    }

    @Override
    public void close() {
        model.close();
    }
}
