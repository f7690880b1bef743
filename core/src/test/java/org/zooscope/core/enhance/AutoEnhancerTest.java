package org.zooscope.core.enhance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;

class AutoEnhancerTest {

    private static FloatVolume realStack() {
        float[] u8 = Fixtures.u8("io/expected_u8.raw");
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < 5; z++) {
            planes.add(Fixtures.plane(u8, z, 64, 48));
        }
        return new FloatVolume(64, 48, planes, DataType.UINT8, new VoxelSize(5.9, 5.9, 40, "nm"));
    }

    @Test
    void shouldGiveTheSameResultOnAnyNumberOfThreads() {
        AutoEnhancer e = new AutoEnhancer(EnhanceSettings.cdeep3m2());
        FloatVolume one = e.enhance(realStack(), 1);
        FloatVolume three = e.enhance(realStack(), 3);
        assertThat(one.dataType()).isEqualTo(DataType.UINT8);
        assertThat(one.voxelSize()).isEqualTo(new VoxelSize(5.9, 5.9, 40, "nm"));
        for (int z = 0; z < 5; z++) {
            assertThat(three.plane(z)).containsExactly(one.plane(z));
            for (float v : one.plane(z)) {
                assertThat(v).isBetween(0f, 255f).isEqualTo((float) Math.rint(v));
            }
        }
    }

    @Test
    void shouldBeIndependentOfTheSourceScale() {
        // the same EM data as 8-bit and as 12-bit-in-16 with an offset enhance to the same 8-bit image
        float[] u8 = Fixtures.plane(Fixtures.u8("io/expected_u8.raw"), 0, 64, 48);
        float[] u16 = new float[u8.length];
        for (int i = 0; i < u8.length; i++) {
            u16[i] = u8[i] * 16 + 1000;
        }
        AutoEnhancer e = new AutoEnhancer(EnhanceSettings.cdeep3m2());
        float[] a = new float[u8.length];
        float[] b = new float[u8.length];
        e.enhancePlane(u8, 64, 48, DataType.UINT8, a, new AutoEnhancer.Workspace());
        e.enhancePlane(u16, 64, 48, DataType.UINT16, b, new AutoEnhancer.Workspace());
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(a[i] - b[i])).isLessThanOrEqualTo(1f);
            differ += a[i] != b[i] ? 1 : 0;
        }
        assertThat(differ).isLessThan(a.length / 100);
    }

    @Test
    void shouldStretchToTheFullRange() {
        float[] in = Fixtures.plane(Fixtures.u8("io/expected_u8.raw"), 1, 64, 48);
        float[] out = new float[in.length];
        new AutoEnhancer(EnhanceSettings.cdeep3m2().withOutput(EnhanceSettings.Output.FLOAT01))
                .enhancePlane(in, 64, 48, DataType.UINT8, out, new AutoEnhancer.Workspace());
        // 2 % of pixels sit at each clip value after the stretch
        long zeros = 0;
        long ones = 0;
        for (float v : out) {
            zeros += v == 0f ? 1 : 0;
            ones += v == 1f ? 1 : 0;
        }
        assertThat(zeros).isBetween(out.length / 50L - 2, out.length / 50L + 2);
        assertThat(ones).isBetween(out.length / 50L - 2, out.length / 50L + 2);
    }

    @Test
    void shouldOnlyRescaleTheTypeRangeWhenDisabled() {
        float[] in = {0, 51, 255, 128};
        float[] out = new float[4];
        new AutoEnhancer(EnhanceSettings.off().withOutput(EnhanceSettings.Output.FLOAT01))
                .enhancePlane(in, 2, 2, DataType.UINT8, out, new AutoEnhancer.Workspace());
        assertThat(out).containsExactly(0f, 0.2f, 1f, 128 / 255f);
    }

    @Test
    void shouldSkipDenoisingWhenSwitchedOffOrNoiseIsZero() {
        float[] ramp = new float[64 * 64];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i % 64;
        }
        float[] out = new float[ramp.length];
        AutoEnhancer.SliceReport r = new AutoEnhancer(EnhanceSettings.cdeep3m2())
                .enhancePlane(ramp, 64, 64, DataType.UINT8, out, new AutoEnhancer.Workspace());
        assertThat(r.sigma()).isLessThan(1e-12); // a linear ramp has (almost) no db2 diagonal detail
        for (float v : out) {
            assertThat(v).isNotNaN();
        }
        AutoEnhancer.SliceReport off = new AutoEnhancer(EnhanceSettings.cdeep3m2().withDenoise(false, 0.5))
                .enhancePlane(Fixtures.plane(Fixtures.u8("io/expected_u8.raw"), 0, 64, 48), 64, 48, DataType.UINT8,
                        new float[64 * 48], new AutoEnhancer.Workspace());
        assertThat(off.sigma()).isNaN();
    }

    @Test
    void shouldCopyInsteadOfDividingByZeroWhenTheTvWeightIsZero() {
        float[] in = {1, 2, 3, 4, 5, 6};
        float[] out = new float[6];
        assertThat(TvDenoise.chambolle(in, 3, 2, 0, TvDenoise.DEFAULT_EPS, 200, out)).isZero();
        assertThat(out).containsExactly(in);
    }

    @Test
    void shouldHandleAConstantSlice() {
        float[] c = new float[100];
        java.util.Arrays.fill(c, 77);
        float[] out = new float[100];
        new AutoEnhancer(EnhanceSettings.cdeep3m2().withOutput(EnhanceSettings.Output.FLOAT01))
                .enhancePlane(c, 10, 10, DataType.UINT8, out, new AutoEnhancer.Workspace());
        assertThat(out).containsOnly(77 / 255f);
    }

    @Test
    void shouldRefuseInvalidSettings() {
        assertThatThrownBy(() -> EnhanceSettings.cdeep3m2().withClip(99, 1)).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> EnhanceSettings.cdeep3m2().withStretchPercent(50)).hasMessageContaining("50");
        assertThatThrownBy(() -> EnhanceSettings.cdeep3m2().withDenoise(true, -1)).hasMessageContaining("-1");
    }
}
