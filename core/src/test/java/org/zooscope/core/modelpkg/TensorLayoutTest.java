package org.zooscope.core.modelpkg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TensorLayoutTest {

    @Test
    void channelLastPutsEachPixelsChannelsTogetherAndTurnsBackExactly() {
        // [b=2][c=3][h=2][w=2], value = b*100 + c*10 + pixel
        float[] bcyx = new float[24];
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 4; p++) {
                    bcyx[(b * 3 + c) * 4 + p] = b * 100 + c * 10 + p;
                }
            }
        }

        float[] byxc = TensorLayout.BYXC.fromBcyx(bcyx, 2, 3, 2, 2);

        assertThat(byxc).startsWith(0, 10, 20, 1, 11, 21);
        assertThat(byxc[12]).isEqualTo(100);
        assertThat(TensorLayout.BYXC.toBcyx(byxc, 2, 3, 2, 2)).containsExactly(bcyx);
        assertThat(TensorLayout.BYXC.shape(2, 3, 4, 5)).containsExactly(2, 4, 5, 3);
        assertThat(TensorLayout.BCYX.fromBcyx(bcyx, 2, 3, 2, 2)).isSameAs(bcyx);
    }

    @Test
    void npyArraysAreTurnedByTheirShape() {
        NpyArray byxc = new NpyArray(new long[] {1, 2, 3, 2}, new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});

        NpyArray bcyx = TensorLayout.BYXC.toBcyx(byxc);

        assertThat(bcyx.shape()).containsExactly(1, 2, 2, 3);
        assertThat(bcyx.data()).containsExactly(0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11);
        assertThat(TensorLayout.BYXC.fromBcyx(bcyx).data()).containsExactly(byxc.data());
    }
}
