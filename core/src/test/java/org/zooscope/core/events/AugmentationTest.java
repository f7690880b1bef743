package org.zooscope.core.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The one augspeed table: the variants a worker runs and the factor the estimates multiply inference time by. */
class AugmentationTest {

    @Test
    void levelsFollowCdeep3mAugspeedTableInZeroBasedVariants() {
        // 1fm: augspeed 1 = ids 1-8, 2 = {1,6,11,15}, 4 = {2,3,6,7}, 10 = {1}
        assertThat(Augmentation.FULL.variantIndices(1)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(Augmentation.STANDARD.variantIndices(1)).containsExactly(0, 5, 10, 14);
        assertThat(Augmentation.FAST.variantIndices(1)).containsExactly(1, 2, 5, 6);
        assertThat(Augmentation.NONE.variantIndices(1)).containsExactly(0);
        // 3fm: 1-16, {1-4, 13-16}, {7,8,10,12}
        assertThat(Augmentation.FULL.variantIndices(3)).containsExactly(IntStream.range(0, 16).toArray());
        assertThat(Augmentation.STANDARD.variantIndices(3)).containsExactly(0, 1, 2, 3, 12, 13, 14, 15);
        assertThat(Augmentation.FAST.variantIndices(3)).containsExactly(6, 7, 9, 11);
        // 5fm: 1-16, {5-12}, {1,6,11,15}
        assertThat(Augmentation.FULL.variantIndices(5)).hasSize(16);
        assertThat(Augmentation.STANDARD.variantIndices(5)).containsExactly(4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(Augmentation.FAST.variantIndices(5)).containsExactly(0, 5, 10, 14);
        assertThat(Augmentation.NONE.variantIndices(5)).containsExactly(0);
    }

    @Test
    void theFactorIsTheNumberOfVariantsRun() {
        for (Augmentation a : Augmentation.values()) {
            for (int frames : new int[] {1, 3, 5}) {
                assertThat(a.variants(frames)).isEqualTo(a.variantIndices(frames).length);
            }
        }
        assertThat(Augmentation.FAST.swapsAxes(1)).isTrue();
        assertThat(Augmentation.NONE.swapsAxes(5)).isFalse();
    }
}
