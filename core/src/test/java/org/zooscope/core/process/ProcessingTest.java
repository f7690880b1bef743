package org.zooscope.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;

class ProcessingTest {

    private static FloatVolume em() {
        float[] u8 = Fixtures.u8("io/expected_u8.raw");
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < 5; z++) {
            planes.add(Fixtures.plane(u8, z, 64, 48));
        }
        return new FloatVolume(64, 48, planes, DataType.UINT8, VoxelSize.unknown());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> yaml(String s) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readValue(s, List.class);
    }

    @Test
    void shouldGiveTheSameValuesTileByTileAsOnWholePlanes() throws Exception {
        FloatVolume v = em();
        Processing p = Processing.fromSpec(yaml("""
                - id: scale_range
                  kwargs: {min_percentile: 1, max_percentile: 99.8, axes: [z, y, x]}
                """));
        Processing.Bound b = p.bind(v);
        TileGrid g = TileGrid.cover(64, 48, 20, 6, 8);
        for (int z = 0; z < 5; z++) {
            float[] whole = v.plane(z).clone();
            b.apply(z, whole, 0, 1, whole.length);
            for (Tile t : g.tiles()) {
                float[] tile = TileExtractor.extract(v.plane(z), 64, 48, g, t);
                float[] expected = TileExtractor.extract(whole, 64, 48, g, t);
                b.apply(z, tile, 0, 1, tile.length);
                assertThat(tile).containsExactly(expected);
            }
        }
    }

    @Test
    void shouldScaleRangeWithVolumePercentiles() {
        FloatVolume v = em();
        VolumeStatistics s = VolumeStatistics.of(v, List.of(1.0, 99.0));
        Processing.Bound b = Processing.of(new ProcessingOp.ScaleRange(1, 99, 1e-6, StatsScope.VOLUME)).bind(v);
        float[] x = {(float) s.percentile(1), (float) s.percentile(99)};
        b.apply(0, x, 0, 1, 2);
        assertThat(x[0]).isEqualTo(0f);
        assertThat(x[1]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void shouldNormaliseToZeroMeanUnitVariancePerVolumeOrPerPlane() {
        FloatVolume v = em();
        Processing.Bound vol = Processing.of(new ProcessingOp.ZeroMeanUnitVariance(1e-6, StatsScope.VOLUME)).bind(v);
        Processing.Bound pl = Processing.of(new ProcessingOp.ZeroMeanUnitVariance(1e-6, StatsScope.PLANE)).bind(v);
        List<float[]> a = new ArrayList<>();
        for (int z = 0; z < 5; z++) {
            float[] p = v.plane(z).clone();
            vol.apply(z, p, 0, 1, p.length);
            a.add(p);
            float[] q = v.plane(z).clone();
            pl.apply(z, q, 0, 1, q.length);
            VolumeStatistics sq = VolumeStatistics.ofPlane(q, q.length, List.of());
            assertThat(sq.mean()).isCloseTo(0, within(1e-5));
            assertThat(sq.std()).isCloseTo(1, within(1e-5));
        }
        VolumeStatistics sa = VolumeStatistics.of(new FloatVolume(64, 48, a, DataType.FLOAT32, VoxelSize.unknown()),
                List.of());
        assertThat(sa.mean()).isCloseTo(0, within(1e-5));
        assertThat(sa.std()).isCloseTo(1, within(1e-5));
        assertThat(pl.statistics(0, 0).mean()).isNotEqualTo(pl.statistics(0, 1).mean());
    }

    @Test
    void shouldComputeStatisticsAfterTheStepsBefore() {
        FloatVolume v = em();
        // negate, then scale_range: the 99th percentile of the negated data is minus the 1st of the original
        Processing.Bound b = Processing.of(new ProcessingOp.ScaleLinear(new double[] {-1}, new double[] {0}),
                new ProcessingOp.ScaleRange(1, 99, 0, StatsScope.VOLUME)).bind(v);
        VolumeStatistics orig = VolumeStatistics.of(v, List.of(1.0, 99.0));
        assertThat(b.statistics(1, 0).percentile(99)).isEqualTo(-orig.percentile(1));
        assertThat(b.statistics(0, 0)).isNull();
    }

    @Test
    void shouldParseTheBioimageIoExamplePreprocessing() throws Exception {
        Processing p = Processing.fromSpec(yaml("""
                - id: ensure_dtype
                  kwargs:
                    dtype: float32
                - id: zero_mean_unit_variance
                  kwargs:
                    axes:
                      - channel
                      - y
                      - x
                """));
        assertThat(p.ops()).hasSize(2);
        assertThat(p.ops().get(1)).isEqualTo(new ProcessingOp.ZeroMeanUnitVariance(1e-6, StatsScope.PLANE));
        // 0.4 per_dataset over x and y: across the whole dataset, each channel on its own
        Processing legacy = Processing.fromSpec(yaml("""
                - name: scale_range
                  kwargs: {mode: per_dataset, axes: xy, min_percentile: 2, max_percentile: 98}
                - name: zero_mean_unit_variance
                  kwargs: {mode: fixed, mean: [10.5], std: [2.0]}
                """));
        assertThat(legacy.ops().get(0)).isEqualTo(new ProcessingOp.ScaleRange(2, 98, 1e-6, StatsScope.VOLUME_PER_CHANNEL));
        assertThat(legacy.ops().get(1)).isInstanceOf(ProcessingOp.FixedZeroMeanUnitVariance.class);
        assertThat(legacy.ops().get(1).apply(14.5f, null, 0)).isCloseTo(2f, within(1e-5f));
    }

    @Test
    void shouldApplyTheElementwiseSteps() {
        assertThat(new ProcessingOp.Sigmoid().apply(0f, null, 0)).isEqualTo(0.5f);
        assertThat(new ProcessingOp.Sigmoid().apply(2f, null, 0)).isCloseTo(0.8807971f, within(1e-7f));
        assertThat(new ProcessingOp.Binarize(new double[] {0.5}).apply(0.5f, null, 0)).isEqualTo(0f);
        assertThat(new ProcessingOp.Binarize(new double[] {0.5}).apply(0.51f, null, 0)).isEqualTo(1f);
        ProcessingOp.Clip clip = new ProcessingOp.Clip(0, 1, null, null, StatsScope.VOLUME);
        assertThat(clip.apply(-2f, null, 0)).isEqualTo(0f);
        assertThat(clip.apply(0.3f, null, 0)).isEqualTo(0.3f);
        assertThat(clip.apply(7f, null, 0)).isEqualTo(1f);
        ProcessingOp.EnsureDtype u8 = new ProcessingOp.EnsureDtype("uint8");
        assertThat(u8.apply(2.9f, null, 0)).isEqualTo(2f);
        assertThat(u8.apply(300f, null, 0)).isEqualTo(255f);
        assertThat(u8.apply(-3f, null, 0)).isEqualTo(0f);
        assertThat(new ProcessingOp.EnsureDtype("int16").apply(-2.9f, null, 0)).isEqualTo(-2f);
        ProcessingOp.ScaleLinear perChannel = new ProcessingOp.ScaleLinear(new double[] {1, 2}, new double[] {0, 1});
        assertThat(perChannel.apply(3f, null, 1)).isEqualTo(7f);
    }

    @Test
    void shouldSoftmaxAcrossChannels() {
        float[] d = {1, 0, 2, 0, 3, 0}; // 3 channels x 2 samples
        Processing.Bound b = Processing.of(new ProcessingOp.Softmax()).bind(em());
        b.apply(0, d, 0, 3, 2);
        double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertThat(d[0]).isCloseTo((float) (Math.exp(1) / e), within(1e-7f));
        assertThat(d[4]).isCloseTo((float) (Math.exp(3) / e), within(1e-7f));
        assertThat(d[1] + d[3] + d[5]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void shouldClipToVolumePercentiles() {
        FloatVolume v = em();
        Processing.Bound b = Processing.of(new ProcessingOp.Clip(Double.NaN, Double.NaN, 5.0, 95.0,
                StatsScope.VOLUME)).bind(v);
        VolumeStatistics s = VolumeStatistics.of(v, List.of(5.0, 95.0));
        float[] p = v.plane(2).clone();
        b.apply(2, p, 0, 1, p.length);
        for (float f : p) {
            assertThat((double) f).isBetween(s.percentile(5), s.percentile(95));
        }
    }

    @Test
    void shouldRefuseUnknownOrIncompleteSteps() throws Exception {
        ProcessingSpecException e = catchThrowableOfType(() -> Processing.fromSpec(yaml("- id: gaussian_blur")),
                ProcessingSpecException.class);
        assertThat(e.step()).isEqualTo("gaussian_blur");
        assertThatThrownBy(() -> Processing.fromSpec(yaml("- id: binarize"))).hasMessageContaining("threshold");
        assertThatThrownBy(() -> Processing.fromSpec(yaml("- id: ensure_dtype\n  kwargs: {dtype: complex64}")))
                .isInstanceOf(ProcessingSpecException.class).hasMessageContaining("complex64");
        assertThatThrownBy(() -> Processing.fromSpec(yaml(
                "- id: scale_range\n  kwargs: {reference_tensor: raw}"))).hasMessageContaining("raw");
    }
}
