package org.zooscope.core.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViewsTest {

    private static float[] plane(int z, int w, int h) {
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = z * 100 + i;
        }
        return p;
    }

    @Test
    void planesAreFetchedOnlyWhenACopyAsksAndMatchAnInMemoryVolume() {
        int w = 4;
        int h = 3;
        List<Integer> fetched = new ArrayList<>();
        Volume lazy = Views.ofPlanes(w, h, 2, DataType.FLOAT32, VoxelSize.unknown(), z -> {
            fetched.add(z);
            return plane(z, w, h);
        });
        FloatVolume eager = new FloatVolume(w, h, List.of(plane(0, w, h), plane(1, w, h)), DataType.FLOAT32,
                VoxelSize.unknown());
        assertThat(fetched).isEmpty();

        float[] a = new float[6];
        float[] b = new float[6];
        lazy.copyBlock(1, 1, 1, 3, 2, a);
        eager.copyBlock(1, 1, 1, 3, 2, b);
        assertThat(a).containsExactly(b);
        assertThat(fetched).containsExactly(1);

        float[] whole = new float[w * h];
        lazy.copyPlane(0, whole);
        assertThat(whole).containsExactly(plane(0, w, h));
    }

    @Test
    void outOfRangeRegionsAndWrongSizedPlanesAreRefused() {
        Volume lazy = Views.ofPlanes(4, 3, 2, DataType.FLOAT32, VoxelSize.unknown(), z -> new float[5]);
        assertThatThrownBy(() -> lazy.copyPlane(2, new float[12])).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> lazy.copyBlock(2, 0, 0, 3, 1, new float[3])).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> lazy.copyPlane(0, new float[12]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("plane 0 has 5 samples, expected 12");
        assertThatThrownBy(() -> Views.ofPlanes(0, 3, 1, DataType.FLOAT32, VoxelSize.unknown(), z -> new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thresholdedIsAnEightBitSegmentationWithTheThresholdIncluded() {
        FloatVolume probs = new FloatVolume(2, 2, List.of(new float[] {0.1f, 0.5f, 0.49f, 0.9f}), DataType.FLOAT32,
                VoxelSize.unknown());
        Volume seg = Views.thresholded(probs, 0.5);
        assertThat(seg.dataType()).isEqualTo(DataType.UINT8);
        float[] out = new float[4];
        seg.copyPlane(0, out);
        assertThat(out).containsExactly(0f, 255f, 0f, 255f);
        float[] block = new float[2];
        seg.copyBlock(0, 1, 0, 2, 1, block);
        assertThat(block).containsExactly(0f, 255f);
    }
}
