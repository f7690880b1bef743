package org.zooscope.core.tiling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MirrorTest {

    @Test
    void shouldReflectWithoutRepeatingTheEdgeLikeNumpyReflect() {
        // numpy.pad(np.arange(4), 7, mode='reflect')
        int[] expected = {1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2, 3, 2};
        for (int i = -7; i < 11; i++) {
            assertThat(Mirror.index(i, 4)).as("index %d", i).isEqualTo(expected[i + 7]);
        }
    }

    @Test
    void shouldHandleTinyLengths() {
        assertThat(Mirror.index(-5, 1)).isZero();
        assertThat(Mirror.index(7, 1)).isZero();
        // numpy.pad([0, 1], 3, mode='reflect') -> 1 0 1 | 0 1 | 0 1 0
        assertThat(new int[] {Mirror.index(-3, 2), Mirror.index(-2, 2), Mirror.index(-1, 2), Mirror.index(2, 2),
            Mirror.index(3, 2), Mirror.index(4, 2)}).containsExactly(1, 0, 1, 0, 1, 0);
    }
}
