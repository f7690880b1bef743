package org.zooscope.jobstream.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.InputTransform;
import org.zooscope.core.events.SliceStats;
import org.zooscope.core.modelpkg.ModelDescription.Op;

class PreprocessingResolverTest {
    private static final SliceStats STATS;

    static {
        float[] v = new float[1001];
        for (int i = 0; i < v.length; i++) {
            v[i] = 100 + i; // 100..1100
        }
        STATS = SliceStats.of(v, 100, 1100, 1000);
    }

    @Test
    void scaleRangeMapsTheWholeVolumePercentilesToZeroAndOne() {
        InputTransform t = PreprocessingResolver.resolve(List.of(new Op("scale_range",
                Map.of("min_percentile", 0, "max_percentile", 100))), STATS);
        assertThat(100 * t.gain() + t.offset()).isCloseTo(0, within(1e-6));
        assertThat(1100 * t.gain() + t.offset()).isCloseTo(1, within(1e-6));
    }

    @Test
    void zeroMeanUnitVarianceUsesWholeVolumeStatistics() {
        InputTransform t = PreprocessingResolver.resolve(List.of(new Op("ensure_dtype", Map.of("dtype", "float32")),
                new Op("zero_mean_unit_variance", Map.of())), STATS);
        assertThat(STATS.mean() * t.gain() + t.offset()).isCloseTo(0, within(1e-6));
        assertThat(STATS.std() * t.gain()).isCloseTo(1, within(1e-5));
    }

    @Test
    void linearOpsComposeInOrderAndClipComesLast() {
        InputTransform t = PreprocessingResolver.resolve(List.of(new Op("scale_linear", Map.of("gain", 2, "offset", 1)),
                new Op("fixed_zero_mean_unit_variance", Map.of("mean", 1, "std", 2, "eps", 0)),
                new Op("clip", Map.of("min", 0, "max", 3))), STATS);
        float[] v = {10, -10};
        t.applyInPlace(v);
        assertThat(v[0]).isEqualTo(3f); // ((10*2+1)-1)/2 = 10, clipped to 3
        assertThat(v[1]).isEqualTo(0f);
    }

    @Test
    void unsupportedInputOpsFailWithTheirName() {
        assertThatThrownBy(() -> PreprocessingResolver.resolve(List.of(new Op("sigmoid", Map.of())), STATS))
                .hasMessageContaining("'sigmoid' is not supported");
    }
}
