package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZContextTest {

    @Test
    void shouldUseTrueNeighboursInside() {
        assertThat(ZContext.frames(5, 10, 5)).containsExactly(3, 4, 5, 6, 7);
        assertThat(ZContext.frames(5, 10, 3)).containsExactly(4, 5, 6);
        assertThat(ZContext.frames(5, 10, 1)).containsExactly(5);
    }

    @Test
    void shouldNotReplicatePlanesAtCdeep3mBlockBoundaries() {
        // CDeep3M processed 100-plane blocks and replicated the block's end planes; we keep real neighbours
        assertThat(ZContext.frames(99, 300, 5)).containsExactly(97, 98, 99, 100, 101);
        assertThat(ZContext.frames(100, 300, 5)).containsExactly(98, 99, 100, 101, 102);
    }

    @Test
    void shouldMirrorOnlyAtTheVolumeEnds() {
        assertThat(ZContext.frames(0, 10, 5)).containsExactly(2, 1, 0, 1, 2);
        assertThat(ZContext.frames(1, 10, 5)).containsExactly(1, 0, 1, 2, 3);
        assertThat(ZContext.frames(9, 10, 5)).containsExactly(7, 8, 9, 8, 7);
        assertThat(ZContext.frames(9, 10, 3)).containsExactly(8, 9, 8);
    }

    @Test
    void shouldWorkForVeryThinVolumes() {
        assertThat(ZContext.frames(0, 1, 5)).containsExactly(0, 0, 0, 0, 0);
        assertThat(ZContext.frames(0, 2, 5)).containsExactly(0, 1, 0, 1, 0);
    }

    @Test
    void shouldRefuseEvenFrameCountsAndOutOfRangePlanes() {
        assertThatThrownBy(() -> ZContext.frames(0, 10, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZContext.frames(10, 10, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
