package org.zooscope.core.modelpkg.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.zooscope.core.modelpkg.ModelDescription.Op;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.process.Processing;
import org.zooscope.core.process.VolumeStatistics;

/** bioimage.io's test-run semantics: every op of the one set, statistics from the tensor itself. */
class ProcessedTensorsTest {
    /** Two channels of 2x2: channel 0 holds 0..3, channel 1 holds 10, 20, 30, 40. */
    private static final NpyArray TWO_CHANNELS = new NpyArray(new long[] {1, 2, 2, 2}, new float[] {0, 1, 2, 3, 10, 20, 30, 40});

    @Test
    void zeroMeanUnitVarianceOverXyIsPerChannelAsIn04() throws Exception {
        NpyArray y = apply(List.of(new Op("zero_mean_unit_variance", Map.of("mode", "per_sample", "axes", "xy"))), TWO_CHANNELS);

        double std0 = Math.sqrt(1.25);
        assertThat(y.data()[0]).isCloseTo((float) (-1.5 / (std0 + 1e-6)), within(1e-6f));
        assertThat(y.data()[4]).isCloseTo((float) (-15 / (Math.sqrt(125) + 1e-6)), within(1e-6f));
    }

    @Test
    void zeroMeanUnitVarianceOverChannelToo() throws Exception {
        NpyArray y = apply(List.of(new Op("zero_mean_unit_variance", Map.of("axes", List.of("channel", "y", "x")))), TWO_CHANNELS);

        double mean = (0 + 1 + 2 + 3 + 10 + 20 + 30 + 40) / 8.0;
        double var = 0;
        for (float v : TWO_CHANNELS.data()) {
            var += (v - mean) * (v - mean);
        }
        assertThat(y.data()[0]).isCloseTo((float) (-mean / (Math.sqrt(var / 8) + 1e-6)), within(1e-6f));
    }

    @Test
    void fixedModeUsesTheGivenPerChannelMeanAndStd() throws Exception {
        NpyArray y = apply(List.of(new Op("zero_mean_unit_variance",
                Map.of("mode", "fixed", "mean", List.of(1.0, 20.0), "std", List.of(2.0, 10.0), "axes", "xy"))), TWO_CHANNELS);

        assertThat(y.data()[3]).isCloseTo((float) (2 / (2 + 1e-6)), within(1e-6f));
        assertThat(y.data()[7]).isCloseTo((float) (20 / (10 + 1e-6)), within(1e-6f));
    }

    @Test
    void scaleRangeUsesNumpysLinearPercentiles() throws Exception {
        NpyArray y = apply(List.of(new Op("scale_range",
                Map.of("min_percentile", 0, "max_percentile", 50, "axes", List.of("y", "x")))), TWO_CHANNELS);

        // numpy.percentile([0, 1, 2, 3], 50) == 1.5
        assertThat(y.data()[3]).isCloseTo((float) (3 / (1.5 + 1e-6)), within(1e-5f));
        assertThat(VolumeStatistics.ofPlane(new float[] {0, 1, 2, 3}, 4, Set.of(99.8)).percentile(99.8))
                .isCloseTo(2.994, within(1e-9));
    }

    @Test
    void scaleLinearClipSigmoidAndBinarize() throws Exception {
        NpyArray y = apply(List.of(new Op("scale_linear", Map.of("gain", List.of(1.0, 0.1), "offset", 0, "axes", "xy")),
                new Op("clip", Map.of("min", 0.5, "max", 3.5)), new Op("binarize", Map.of("threshold", 2.5))), TWO_CHANNELS);

        assertThat(y.data()).containsExactly(0, 0, 0, 1, 0, 0, 1, 1);
        NpyArray s = apply(List.of(new Op("sigmoid", Map.of())), new NpyArray(new long[] {1, 1, 1, 1}, new float[] {0}));
        assertThat(s.data()[0]).isEqualTo(0.5f);
    }

    @Test
    void rejectsOpsItCannotApply() {
        assertThatThrownBy(() -> apply(List.of(new Op("scale_mean_variance", Map.of())), TWO_CHANNELS))
                .hasMessageContaining("scale_mean_variance");
        assertThatThrownBy(() -> apply(List.of(new Op("scale_range", Map.of("reference_tensor", "raw"))), TWO_CHANNELS))
                .hasMessageContaining("reference_tensor");
    }

    @Test
    void softmaxAcrossChannelsAndPercentileClip() {
        NpyArray y = apply(List.of(new Op("softmax", Map.of("axis", "channel"))), TWO_CHANNELS);
        assertThat(y.data()[0] + y.data()[4]).isCloseTo(1f, within(1e-6f));
        NpyArray c = apply(List.of(new Op("clip", Map.of("min_percentile", 0, "max_percentile", 50, "axes", "xy"))),
                TWO_CHANNELS);
        // per channel: channel 0 clipped at its median 1.5, channel 1 at 25
        assertThat(c.data()).containsExactly(0, 1, 1.5f, 1.5f, 10, 20, 25, 25);
    }

    @Test
    void scaleRangeZeroMeanAndFixedStatisticsOnSmallTensors() {
        // two channels of 1x5; scale_range per channel (axes y, x) with numpy's linear percentiles
        float[] t = {0, 1, 2, 3, 4, 10, 20, 30, 40, 50};
        Processing.fromDescription(List.of(new Op("scale_range",
                Map.of("axes", List.of("y", "x"), "min_percentile", 25, "max_percentile", 75, "eps", 0.0)))).applyToTensor(t, 1, 2, 5);
        // channel 0: p25 = 1, p75 = 3; channel 1: p25 = 20, p75 = 40
        assertThat(t).containsExactly(new float[] {-0.5f, 0, 0.5f, 1, 1.5f, -0.5f, 0, 0.5f, 1, 1.5f},
                within(1e-6f));

        // zero_mean_unit_variance over all axes: population std
        float[] z = {1, 3, 1, 3};
        Processing.fromDescription(List.of(new Op("zero_mean_unit_variance", Map.of("eps", 0.0)))).applyToTensor(z, 1, 1, 4);
        assertThat(z).containsExactly(-1, 1, -1, 1);

        // 0.4's letter axes and per-channel fixed statistics
        float[] f = {2, 4, 10, 30};
        Processing.fromDescription(List.of(new Op("fixed_zero_mean_unit_variance",
                Map.of("mean", List.of(3.0, 20.0), "std", List.of(1.0, 10.0), "eps", 0.0)))).applyToTensor(f, 1, 2, 2);
        assertThat(f).containsExactly(-1, 1, -1, 1);
    }

    private static NpyArray apply(List<Op> ops, NpyArray t) {
        return ProcessedTensors.processed(Processing.fromDescription(ops), t);
    }
}
