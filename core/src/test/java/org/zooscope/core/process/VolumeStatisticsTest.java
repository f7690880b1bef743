package org.zooscope.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.zooscope.core.enhance.Percentiles;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;

class VolumeStatisticsTest {

    private static final List<Double> PS = List.of(0.0, 0.1, 1.0, 2.0, 25.0, 50.0, 98.0, 99.0, 99.9, 100.0);

    private static FloatVolume volume(int w, int h, int d, long seed, boolean integers) {
        Random r = new Random(seed);
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < d; z++) {
            float[] p = new float[w * h];
            for (int i = 0; i < p.length; i++) {
                p[i] = integers ? r.nextInt(256) : (float) (r.nextGaussian() * 3 - 1);
            }
            planes.add(p);
        }
        return new FloatVolume(w, h, planes, integers ? DataType.UINT8 : DataType.FLOAT32, VoxelSize.unknown());
    }

    @Test
    void shouldComputeExactNumpyPercentilesAndMomentsOverTheWholeVolume() {
        for (boolean integers : new boolean[] {true, false}) {
            FloatVolume v = volume(37, 29, 7, 3, integers);
            int n = 37 * 29 * 7;
            float[] all = new float[n];
            for (int z = 0; z < 7; z++) {
                System.arraycopy(v.plane(z), 0, all, z * 37 * 29, 37 * 29);
            }
            VolumeStatistics s = VolumeStatistics.of(v, PS);
            for (double p : PS) {
                assertThat(s.percentile(p)).as("p%s", p).isEqualTo(Percentiles.of(all, n, p));
            }
            double mean = 0;
            for (float f : all) {
                mean += f;
            }
            mean /= n;
            double var = 0;
            for (float f : all) {
                var += (f - mean) * (f - mean);
            }
            assertThat(s.mean()).isCloseTo(mean, within(1e-9));
            assertThat(s.std()).isCloseTo(Math.sqrt(var / n), within(1e-9));
            float[] sorted = all.clone();
            Arrays.sort(sorted);
            assertThat(s.min()).isEqualTo(sorted[0]);
            assertThat(s.max()).isEqualTo(sorted[n - 1]);
            assertThat(s.count()).isEqualTo(n);
        }
    }

    @Test
    void shouldMatchNumpyOnTheGoldenData() throws Exception {
        JsonNode g = new ObjectMapper().readTree(Fixtures.bytes("enhance/golden.json")).get("percentile_f32");
        float[] data = Fixtures.floats("enhance/tv_in.f32");
        List<Double> ps = new ArrayList<>();
        g.fieldNames().forEachRemaining(k -> ps.add(Double.parseDouble(k)));
        VolumeStatistics s = VolumeStatistics.ofPlane(data, data.length, ps);
        for (double p : ps) {
            double want = g.get(p == Math.rint(p) && !g.has(Double.toString(p)) ? Long.toString((long) p)
                    : Double.toString(p)).asDouble();
            assertThat(s.percentile(p)).as("p%s", p).isCloseTo(want, within(1e-12));
        }
    }

    @Test
    void shouldNotDependOnTheOrderOfSamples() {
        FloatVolume v = volume(50, 40, 3, 9, false);
        List<float[]> reversed = new ArrayList<>();
        for (int z = 2; z >= 0; z--) {
            float[] p = v.plane(z).clone();
            for (int i = 0; i < p.length / 2; i++) {
                float t = p[i];
                p[i] = p[p.length - 1 - i];
                p[p.length - 1 - i] = t;
            }
            reversed.add(p);
        }
        FloatVolume r = new FloatVolume(50, 40, reversed, DataType.FLOAT32, VoxelSize.unknown());
        assertThat(VolumeStatistics.of(r, PS).percentiles()).isEqualTo(VolumeStatistics.of(v, PS).percentiles());
    }
}
