package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationVariantsTest {

    private static float[] ramp(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void shouldInvertEveryVariantExactlyOnNonSquareMultiChannelTiles() {
        int c = 3;
        int h = 5;
        int w = 7;
        float[] x = ramp(c * h * w);
        for (int v = 0; v < AugmentationVariants.COUNT; v++) {
            float[] a = AugmentationVariants.apply(v, x, c, h, w);
            int ah = AugmentationVariants.outputHeight(v, h, w);
            int aw = AugmentationVariants.outputWidth(v, h, w);
            assertThat(AugmentationVariants.invert(v, a, c, ah, aw)).as("variant %d", v).containsExactly(x);
        }
    }

    @Test
    void shouldProduceSixteenDistinctVariants() {
        float[] x = ramp(3 * 4 * 4);
        Set<List<Float>> seen = new HashSet<>();
        for (int v = 0; v < AugmentationVariants.COUNT; v++) {
            float[] a = AugmentationVariants.apply(v, x, 3, 4, 4);
            List<Float> l = new java.util.ArrayList<>();
            for (float f : a) {
                l.add(f);
            }
            seen.add(l);
        }
        assertThat(seen).hasSize(16);
    }

    @Test
    void shouldMatchNumpySemanticsOnA2x3Image() {
        // [[0 1 2], [3 4 5]]
        float[] x = {0, 1, 2, 3, 4, 5};
        assertThat(AugmentationVariants.apply(1, x, 1, 2, 3)).containsExactly(2, 1, 0, 5, 4, 3);       // fliplr
        assertThat(AugmentationVariants.apply(2, x, 1, 2, 3)).containsExactly(3, 4, 5, 0, 1, 2);       // flipud
        assertThat(AugmentationVariants.apply(3, x, 1, 2, 3)).containsExactly(2, 5, 1, 4, 0, 3);       // np.rot90
        assertThat(AugmentationVariants.apply(4, x, 1, 2, 3)).containsExactly(3, 0, 4, 1, 5, 2);       // np.rot90(k=-1)
        assertThat(AugmentationVariants.apply(5, x, 1, 2, 3)).containsExactly(0, 3, 1, 4, 2, 5);       // rot90(fliplr) = .T
        assertThat(AugmentationVariants.apply(6, x, 1, 2, 3)).containsExactly(5, 2, 4, 1, 3, 0);       // rot90(flipud)
        assertThat(AugmentationVariants.apply(7, x, 1, 2, 3)).containsExactly(5, 4, 3, 2, 1, 0);       // rot180
        assertThat(AugmentationVariants.outputHeight(3, 2, 3)).isEqualTo(3);
    }

    @Test
    void shouldReverseChannelsForZVariantsOnInputOnly() {
        float[] x = {1, 2, 3}; // 3 channels of 1x1: z-frames z-1, z, z+1
        assertThat(AugmentationVariants.apply(8, x, 3, 1, 1)).containsExactly(3, 2, 1);
        assertThat(AugmentationVariants.invert(8, new float[] {3, 2, 1}, 3, 1, 1)).containsExactly(1, 2, 3);
        // model output channels are classes: only the spatial part is undone
        float[] classes = {0.2f, 0.8f};
        assertThat(AugmentationVariants.invertSpatial(8, classes, 2, 1, 1)).containsExactly(0.2f, 0.8f);
    }

    @Test
    void shouldUndoTheSpatialPartOfAModelOutput() {
        // a "model" that maps each input channel stack to one output channel = first input channel
        int h = 4;
        int w = 6;
        float[] x = ramp(2 * h * w);
        for (int v = 0; v < AugmentationVariants.COUNT; v++) {
            float[] a = AugmentationVariants.apply(v, x, 2, h, w);
            int ah = AugmentationVariants.outputHeight(v, h, w);
            int aw = AugmentationVariants.outputWidth(v, h, w);
            float[] out = java.util.Arrays.copyOf(a, ah * aw); // channel 0 of the augmented input
            float[] back = AugmentationVariants.invertSpatial(v, out, 1, ah, aw);
            int srcChannel = AugmentationVariants.reversesZ(v) ? 1 : 0;
            assertThat(back).as("variant %d", v)
                    .containsExactly(java.util.Arrays.copyOfRange(x, srcChannel * h * w, (srcChannel + 1) * h * w));
        }
    }
}
