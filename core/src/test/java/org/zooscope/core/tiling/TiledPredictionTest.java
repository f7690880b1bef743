package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.process.Processing;
import org.zooscope.core.process.ProcessingOp;
import org.zooscope.core.process.StatsScope;
import org.zooscope.core.process.VolumeStatistics;
import org.zooscope.core.testing.Fixtures;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;

class TiledPredictionTest {

    private static FloatVolume em() {
        float[] u8 = Fixtures.u8("io/expected_u8.raw");
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < 5; z++) {
            planes.add(Fixtures.plane(u8, z, 64, 48));
        }
        return new FloatVolume(64, 48, planes, DataType.UINT8, new VoxelSize(5.9, 5.9, 40, "nm"));
    }

    /** Returns input channel {@code c} unchanged. */
    private static TiledPrediction.TileModel channel(int c) {
        return (in, channels, h, w) -> java.util.Arrays.copyOfRange(in, c * h * w, (c + 1) * h * w);
    }

    @Test
    void shouldReproduceTheVolumeWithAllSixteenVariantsAndAnIdentityModel() {
        FloatVolume v = em();
        TileGrid g = TileGrid.cover(64, 48, 20, 6, 8);
        int[] all = new int[16];
        for (int i = 0; i < 16; i++) {
            all[i] = i;
        }
        FloatVolume out = TiledPrediction.predict(v, g, 3, all, null, channel(1));
        for (int z = 0; z < 5; z++) {
            assertThat(out.plane(z)).containsExactly(v.plane(z));
        }
        assertThat(out.voxelSize()).isEqualTo(v.voxelSize());
    }

    @Test
    void shouldFeedRealNeighboursAndAverageZReversedVariants() {
        FloatVolume v = em();
        TileGrid g = TileGrid.cover(64, 48, 32, 4);
        // channel 0 is z-1, or z+1 once the variant reverses z
        FloatVolume plain = TiledPrediction.predict(v, g, 3, new int[] {0}, null, channel(0));
        FloatVolume both = TiledPrediction.predict(v, g, 3, new int[] {0, 8}, null, channel(0));
        assertThat(plain.plane(2)).containsExactly(v.plane(1));
        assertThat(plain.plane(0)).containsExactly(v.plane(1)); // mirrored at the volume start
        for (int i = 0; i < 64 * 48; i++) {
            assertThat(both.plane(2)[i]).isCloseTo((v.plane(1)[i] + v.plane(3)[i]) / 2, within(1e-4f));
        }
    }

    @Test
    void shouldPreprocessWithWholeVolumeStatistics() {
        FloatVolume v = em();
        Processing.Bound pre = Processing.of(new ProcessingOp.ZeroMeanUnitVariance(0, StatsScope.VOLUME)).bind(v);
        FloatVolume out = TiledPrediction.predict(v, TileGrid.cover(64, 48, 16, 4), 1, new int[] {0}, pre,
                channel(0));
        VolumeStatistics s = VolumeStatistics.of(v, List.of());
        float expected = (float) ((v.plane(3)[100] - s.mean()) / s.std());
        assertThat(out.plane(3)[100]).isCloseTo(expected, within(1e-5f));
    }
}
