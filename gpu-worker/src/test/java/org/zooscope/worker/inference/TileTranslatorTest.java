package org.zooscope.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.zooscope.core.process.Processing;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.TensorLayout;
import org.zooscope.core.modelpkg.TileTensors;

class TileTranslatorTest {
    private static NDManager manager;
    private static TranslatorContext ctx;

    @BeforeAll
    static void engine() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager("OnnxRuntime");
        // the translator only asks its context for the native memory manager
        ctx = (TranslatorContext) Proxy.newProxyInstance(TranslatorContext.class.getClassLoader(),
                new Class<?>[] {TranslatorContext.class},
                (proxy, method, args) -> method.getName().equals("getNDManager") ? manager : null);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void inputBecomesOneNchwTensorWithTheSameValuesInCOrder() {
        float[] values = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        NDList in = new TileTranslator().processInput(ctx, new TileInput(values, 2, 1, 2, 3));
        assertThat(in).hasSize(1);
        assertThat(in.get(0).getShape()).isEqualTo(new Shape(2, 1, 2, 3));
        assertThat(in.get(0).toFloatArray()).containsExactly(values);
    }

    @Test
    void outputKeepsShapeAndChannelsCanBeReadPerItem() {
        float[] values = new float[2 * 2 * 2 * 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        NDArray y = manager.create(values, new Shape(2, 2, 2, 2));
        TileOutput out = new TileTranslator().processOutput(ctx, new NDList(y));
        assertThat(out.batch()).isEqualTo(2);
        assertThat(out.channels()).isEqualTo(2);
        // item 1, channel 0 starts after item 0's two 2x2 channels
        assertThat(out.channel(1, 0)).containsExactly(8, 9, 10, 11);
        assertThat(out.channel(0, 1)).containsExactly(4, 5, 6, 7);
    }

    @Test
    void aChannelLastModelGetsItsTilesTurnedAndGivesItsOutputBackChannelFirst() {
        // one item, 2 channels of 1 x 3: channel 0 = 1 2 3, channel 1 = 10 20 30
        float[] bcyx = {1, 2, 3, 10, 20, 30};
        TileTranslator channelLast = new TileTranslator(TensorLayout.BYXC, TensorLayout.BYXC);

        NDList in = channelLast.processInput(ctx, new TileInput(bcyx, 1, 2, 1, 3));
        TileOutput out = channelLast.processOutput(ctx, in);

        assertThat(in.get(0).getShape()).isEqualTo(new Shape(1, 1, 3, 2));
        assertThat(in.get(0).toFloatArray()).containsExactly(1, 10, 2, 20, 3, 30);
        assertThat(out.channels()).isEqualTo(2);
        assertThat(out.height()).isEqualTo(1);
        assertThat(out.width()).isEqualTo(3);
        assertThat(out.data()).containsExactly(bcyx);
    }

    /** A context that keeps attachments, as DJL's predictor gives one per call. */
    private static TranslatorContext keeping() {
        Map<String, Object> attachments = new java.util.HashMap<>();
        return (TranslatorContext) Proxy.newProxyInstance(TranslatorContext.class.getClassLoader(),
                new Class<?>[] {TranslatorContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getNDManager" -> manager;
                    case "setAttachment" -> attachments.put((String) args[0], args[1]);
                    case "getAttachment" -> attachments.get((String) args[0]);
                    default -> null;
                });
    }

    @Test
    void a3dModelGetsItsFramesAsAZBlockAndGivesBackTheCentreSliceAtTheTileSize() {
        TileTranslator cube = new TileTranslator(new TileTensors(TensorLayout.BCYX, TensorLayout.BCYX, 3, 1));
        TranslatorContext call = keeping();
        float[] frames = {1, 2, 3, 4, 5, 6};

        NDList in = cube.processInput(call, new TileInput(frames, 1, 3, 1, 2));
        TileOutput out = cube.processOutput(call, in); // an identity model

        assertThat(in.get(0).getShape()).isEqualTo(new Shape(1, 1, 3, 1, 2));
        assertThat(new int[] {out.batch(), out.channels(), out.height(), out.width()}).containsExactly(1, 1, 1, 2);
        assertThat(out.data()).containsExactly(3, 4);
        assertThatThrownBy(() -> cube.processOutput(call, new NDList(manager.create(new float[4], new Shape(1, 1, 2, 2)))))
                .isInstanceOf(ModelOutputException.class).hasMessageContaining("5 axes");
    }

    @Test
    void aHalfResolutionOutputComesBackAtTheSizeOfTheTileThatWentIn() {
        TileTranslator half = new TileTranslator(new TileTensors(TensorLayout.BCYX, TensorLayout.BCYX, 0, 2));
        TranslatorContext call = keeping();
        half.processInput(call, new TileInput(new float[8], 1, 1, 2, 4));

        TileOutput out = half.processOutput(call, new NDList(manager.create(new float[] {0, 4}, new Shape(1, 1, 1, 2))));

        assertThat(new int[] {out.height(), out.width()}).containsExactly(2, 4);
        assertThat(out.data()).containsExactly(0, 1, 3, 4, 0, 1, 3, 4);
    }

    @Test
    void anOutputWithoutFourAxesIsAModelError() {
        NDArray y = manager.create(new float[] {1, 2, 3}, new Shape(3));
        assertThatThrownBy(() -> new TileTranslator().processOutput(ctx, new NDList(y)))
                .isInstanceOf(ModelOutputException.class).hasMessageContaining("4 axes");
    }

    @Test
    void tileInputRejectsAShapeThatDoesNotMatchItsValues() {
        assertThatThrownBy(() -> new TileInput(new float[5], 1, 1, 2, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void declaredPostprocessingIsAppliedPerValueAndPerChannel() {
        TileOutput out = new TileOutput(new float[] {0, 2, -2, 10}, 1, 2, 1, 2);
        Processing.fromDescription(List.of(
                new ModelDescription.Op("scale_linear", Map.of("gain", List.of(1.0, 0.5), "offset", List.of(0.0, 1.0), "axis", "channel")),
                new ModelDescription.Op("sigmoid", Map.of()),
                new ModelDescription.Op("clip", Map.of("min", 0.2, "max", 0.99)))).bindFixed().apply(0, out.data(), 0, 2, 2);
        // channel 0: sigmoid(0)=0.5, sigmoid(2)=0.8808; channel 1: -2*0.5+1=0 -> 0.5, 10*0.5+1=6 -> 0.9975 clipped to 0.99
        assertThat(out.data()).containsExactly(new float[] {0.5f, 0.880797f, 0.5f, 0.99f}, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
