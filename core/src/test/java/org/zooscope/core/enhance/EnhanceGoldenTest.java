package org.zooscope.core.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.volume.DataType;

/**
 * Golden tests against scikit-image 0.19.3 / numpy 1.24 / PyWavelets 1.4 (values made once by
 * {@code src/test/python/make_enhance_golden.py}). Tolerances, stated once:
 * <ul>
 *   <li>percentiles: 1e-12 relative (same algorithm, same inputs);</li>
 *   <li>noise σ: 1e-9 relative (double-precision wavelet sums in a different order);</li>
 *   <li>TV denoising: 1e-7 absolute on [0, 1] data (double arithmetic, result rounded to float; measured: identical
 *       after rounding to float32, with the same iteration count);</li>
 *   <li>whole enhancement, float output: 1e-6 absolute (Java keeps the intermediate slice in float32, skimage in
 *       float64; measured 1.8e-7); statistics (percentiles, σ, weight) 1e-5 relative (measured 3.5e-6 for σ);</li>
 *   <li>whole enhancement, 8-bit output: at most 0.2 % of pixels may differ, by at most one grey level (values on a
 *       .5 rounding boundary; measured: none differ).</li>
 * </ul>
 */
class EnhanceGoldenTest {

    private static JsonNode golden;

    @BeforeAll
    static void load() throws Exception {
        golden = new ObjectMapper().readTree(Fixtures.bytes("enhance/golden.json"));
    }

    static float[] u8(String name) {
        return Fixtures.u8("enhance/" + name);
    }

    static float[] u16(String name) {
        ByteBuffer b = ByteBuffer.wrap(Fixtures.bytes("enhance/" + name)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = b.getShort() & 0xFFFF;
        }
        return f;
    }

    @Test
    void shouldMatchNumpyPercentiles() {
        check(golden.get("percentile_u8"), u8("in_b.u8"), 96 * 80);
        check(golden.get("percentile_f32"), Fixtures.floats("enhance/tv_in.f32"), 96 * 80);
        check(golden.get("percentile_f32_7001"), Fixtures.floats("enhance/tv_in.f32"), 7001);
    }

    private static void check(JsonNode expected, float[] data, int n) {
        Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            double p = Double.parseDouble(e.getKey());
            double want = e.getValue().asDouble();
            double got = Percentiles.of(data, n, p);
            assertThat(got).as("percentile %s", p).isCloseTo(want, within(Math.abs(want) * 1e-12 + 1e-15));
        }
    }

    @Test
    void shouldMatchSkimageEstimateSigmaOnOddShapes() {
        Iterator<Map.Entry<String, JsonNode>> it = golden.get("sigma").fields();
        int n = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String[] wh = e.getKey().split("x");
            int w = Integer.parseInt(wh[0]);
            int h = Integer.parseInt(wh[1]);
            float[] in = Fixtures.floats("enhance/sigma_in_" + e.getKey() + ".f32");
            double want = e.getValue().asDouble();
            assertThat(NoiseSigma.estimate(in, w, h)).as(e.getKey()).isCloseTo(want, within(want * 1e-9));
            n++;
        }
        assertThat(n).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.02", "0.1", "0.5"})
    void shouldMatchSkimageDenoiseTvChambolle(String weight) {
        float[] in = Fixtures.floats("enhance/tv_in.f32");
        float[] want = Fixtures.floats("enhance/tv_out_w" + weight + ".f32");
        float[] got = new float[in.length];
        int iters = TvDenoise.chambolle(in, 96, 80, Double.parseDouble(weight), TvDenoise.DEFAULT_EPS,
                TvDenoise.DEFAULT_MAX_ITER, got);
        assertThat(iters).isGreaterThan(1);
        assertThat(maxAbsDiff(got, want)).as("max |diff|").isLessThanOrEqualTo(1e-7);
        assertThat(maxAbsDiff(in, want)).as("denoising changed something").isGreaterThan(1e-3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "b", "a16"})
    void shouldMatchCdeep3m2EnhancementWithFloatOutput(String name) {
        JsonNode c = golden.get("enhance").get(name);
        boolean is16 = name.endsWith("16");
        float[] in = is16 ? u16("in_a16.u16") : u8("in_" + name + ".u8");
        DataType type = is16 ? DataType.UINT16 : DataType.UINT8;
        AutoEnhancer e = new AutoEnhancer(EnhanceSettings.cdeep3m2().withOutput(EnhanceSettings.Output.FLOAT01));
        float[] out = new float[in.length];
        AutoEnhancer.SliceReport r = e.enhancePlane(in, 96, 80, type, out, new AutoEnhancer.Workspace());
        assertThat(r.clipLow()).isCloseTo(c.get("p1").asDouble(), withinPercentage(1e-3));
        assertThat(r.clipHigh()).isCloseTo(c.get("p99").asDouble(), withinPercentage(1e-3));
        assertThat(r.sigma()).isCloseTo(c.get("sigma").asDouble(), withinPercentage(1e-3));
        assertThat(r.weight()).isCloseTo(c.get("weight").asDouble(), withinPercentage(1e-3));
        assertThat(r.stretchLow()).isCloseTo(c.get("p2").asDouble(), withinPercentage(1e-3));
        assertThat(r.stretchHigh()).isCloseTo(c.get("p98").asDouble(), withinPercentage(1e-3));
        float[] want = Fixtures.floats("enhance/enhanced_" + name + ".f32");
        assertThat(maxAbsDiff(out, want)).as("max |diff|").isLessThan(1e-6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "b", "big"})
    void shouldMatchCdeep3m2EnhancementWith8BitOutput(String name) {
        JsonNode c = golden.get("enhance").get(name);
        int w = c.get("width").asInt();
        int h = c.get("height").asInt();
        float[] in = u8("in_" + name + ".u8");
        float[] want = u8("enhanced_" + name + ".u8");
        float[] out = new float[in.length];
        new AutoEnhancer(EnhanceSettings.cdeep3m2()).enhancePlane(in, w, h, DataType.UINT8, out,
                new AutoEnhancer.Workspace());
        int differ = 0;
        for (int i = 0; i < out.length; i++) {
            assertThat(Math.abs(out[i] - want[i])).as("pixel %d", i).isLessThanOrEqualTo(1f);
            if (out[i] != want[i]) {
                differ++;
            }
        }
        assertThat(differ).isLessThanOrEqualTo(out.length / 500);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
