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
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.TensorLayout;

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
        Postprocessing.apply(List.of(
                new ModelDescription.Op("scale_linear", Map.of("gain", List.of(1.0, 0.5), "offset", List.of(0.0, 1.0), "axis", "channel")),
                new ModelDescription.Op("sigmoid", Map.of()),
                new ModelDescription.Op("clip", Map.of("min", 0.2, "max", 0.99))), out);
        // channel 0: sigmoid(0)=0.5, sigmoid(2)=0.8808; channel 1: -2*0.5+1=0 -> 0.5, 10*0.5+1=6 -> 0.9975 clipped to 0.99
        assertThat(out.data()).containsExactly(new float[] {0.5f, 0.880797f, 0.5f, 0.99f}, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(Postprocessing.problem(List.of(new ModelDescription.Op("scale_range", Map.of()))))
                .contains("scale_range");
        assertThat(Postprocessing.problem(List.of(new ModelDescription.Op("ensure_dtype", Map.of("dtype", "uint8")))))
                .contains("quantise");
    }

    @Test
    void tensorPreprocessingFollowsBioimageioSemantics() {
        // two channels of 1x5; scale_range per channel (axes y, x) with numpy's linear percentiles
        float[] t = {0, 1, 2, 3, 4, 10, 20, 30, 40, 50};
        TensorPreprocessing.apply(List.of(new ModelDescription.Op("scale_range",
                Map.of("axes", List.of("y", "x"), "min_percentile", 25, "max_percentile", 75, "eps", 0.0))), t, new int[] {1, 2, 1, 5});
        // channel 0: p25 = 1, p75 = 3; channel 1: p25 = 20, p75 = 40
        assertThat(t).containsExactly(new float[] {-0.5f, 0, 0.5f, 1, 1.5f, -0.5f, 0, 0.5f, 1, 1.5f},
                org.assertj.core.data.Offset.offset(1e-6f));

        // zero_mean_unit_variance over all axes: population std
        float[] z = {1, 3, 1, 3};
        TensorPreprocessing.apply(List.of(new ModelDescription.Op("zero_mean_unit_variance", Map.of("eps", 0.0))), z,
                new int[] {1, 1, 2, 2});
        assertThat(z).containsExactly(-1, 1, -1, 1);

        // 0.4's letter axes and per-channel fixed statistics
        float[] f = {2, 4, 10, 30};
        TensorPreprocessing.apply(List.of(new ModelDescription.Op("fixed_zero_mean_unit_variance",
                Map.of("mean", List.of(3.0, 20.0), "std", List.of(1.0, 10.0), "eps", 0.0))), f, new int[] {1, 2, 1, 2});
        assertThat(f).containsExactly(-1, 1, -1, 1);
        assertThat(TensorPreprocessing.reduced(Map.of("axes", "xy"))).containsExactly(false, false, true, true);
        assertThat(TensorPreprocessing.percentile(new double[] {0, 10}, 99.5)).isEqualTo(9.95, org.assertj.core.data.Offset.offset(1e-12));
    }
}
