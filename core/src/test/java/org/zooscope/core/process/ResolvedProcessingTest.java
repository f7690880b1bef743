package org.zooscope.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.SliceStats;
import org.zooscope.core.modelpkg.ModelDescription.Op;

/**
 * A job's interpreter: the declared ops resolved once with the whole input's statistics, carried exactly through the
 * steps before each data-dependent one, then the same mapping for every tile.
 */
class ResolvedProcessingTest {
    private static final float[] VALUES = new float[1001];
    private static final SliceStats HISTOGRAM;

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = 100 + i; // 100..1100
        }
        HISTOGRAM = SliceStats.of(VALUES, 100, 1100, 1000);
    }

    private static float[] resolvedOn(List<Op> ops, float... samples) {
        Processing p = Processing.fromDescription(ops);
        float[] out = samples.clone();
        p.resolve(p.snapshot(HISTOGRAM)).apply(0, out, 0, 1, out.length);
        return out;
    }

    @Test
    void scaleRangeMapsTheWholeVolumesPercentilesToZeroAndOne() {
        float[] y = resolvedOn(List.of(new Op("scale_range", Map.of("min_percentile", 0, "max_percentile", 100))),
                100, 1100);
        assertThat(y[0]).isCloseTo(0, within(1e-6f));
        assertThat(y[1]).isCloseTo(1, within(1e-5f));
    }

    @Test
    void statisticsAreCarriedThroughTheStepsBefore() {
        // scale_linear first: scale_range must see the doubled data, so its ends still map to 0 and 1
        float[] y = resolvedOn(List.of(new Op("scale_linear", Map.of("gain", -2, "offset", 5)),
                new Op("scale_range", Map.of("min_percentile", 1, "max_percentile", 99, "eps", 0)),
                new Op("zero_mean_unit_variance", Map.of("eps", 0))), VALUES);
        double mean = 0;
        double sq = 0;
        for (float v : y) {
            mean += v;
        }
        mean /= y.length;
        for (float v : y) {
            sq += (v - mean) * (v - mean);
        }
        assertThat(mean).isCloseTo(0, within(1e-4));
        assertThat(Math.sqrt(sq / y.length)).isCloseTo(1, within(1e-4));
    }

    @Test
    void aResolvedChainEqualsTheTensorInterpreterOnTheSameData() {
        List<Op> ops = List.of(new Op("ensure_dtype", Map.of("dtype", "float32")),
                new Op("zero_mean_unit_variance", Map.of()), new Op("clip", Map.of("min", -1, "max", 1)));
        float[] whole = VALUES.clone();
        Processing.fromDescription(ops).applyToTensor(whole, 1, 1, whole.length);
        Processing p = Processing.fromDescription(ops);
        float[] resolved = VALUES.clone();
        p.resolve(VolumeStatistics.of(1, z -> VALUES, VALUES.length, p.rawPercentiles()))
                .apply(0, resolved, 0, 1, resolved.length);
        assertThat(resolved).containsExactly(whole, within(1e-6f));
    }

    @Test
    void aStepThatNeedsMomentsAfterANonLinearOneIsRefusedNamingIt() {
        Processing p = Processing.fromDescription(List.of(new Op("sigmoid", Map.of()),
                new Op("zero_mean_unit_variance", Map.of())));
        assertThatThrownBy(() -> p.resolve(p.snapshot(HISTOGRAM))).isInstanceOf(ProcessingSpecException.class)
                .hasMessageContaining("sigmoid");
        // percentiles pass through a monotone step
        Processing q = Processing.fromDescription(List.of(new Op("sigmoid", Map.of()),
                new Op("scale_range", Map.of("min_percentile", 0, "max_percentile", 100))));
        float[] y = {100, 1100};
        q.resolve(q.snapshot(HISTOGRAM)).apply(0, y, 0, 1, 2);
        assertThat(y[0]).isCloseTo(0, within(1e-3f));
    }

    @Test
    void postprocessingThatNeedsTheOutputsStatisticsIsRefused() {
        assertThatThrownBy(() -> Processing.fromDescription(List.of(new Op("scale_range", Map.of())))
                .requireStatisticsFree("postprocessing")).hasMessageContaining("differ from tile to tile");
        assertThat(Processing.fromDescription(List.of(new Op("sigmoid", Map.of()))).requireStatisticsFree("post")
                .needsStatistics()).isFalse();
        assertThat(Processing.fromDescription(List.of(new Op("scale_range", Map.of("min_percentile", 1,
                "max_percentile", 99.8)))).rawPercentiles()).hasSize(4).contains(1.0, 99.0, 99.8);
    }
}
