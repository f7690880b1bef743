package org.zooscope.core.modelpkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TileTensorsTest {
    private static final TileTensors PLAIN = new TileTensors(TensorLayout.BCYX, TensorLayout.BCYX, 0, 1);

    @Test
    void aPlainModelGetsItsTilesAndGivesItsOutputAsTheyAre() {
        float[] tile = {1, 2, 3, 4, 5, 6};
        assertThat(PLAIN.inputShape(1, 1, 2, 3)).containsExactly(1, 1, 2, 3);
        assertThat(PLAIN.input(tile, 1, 1, 2, 3)).isSameAs(tile);
        NpyArray y = new NpyArray(new long[] {1, 1, 2, 3}, tile);
        assertThat(PLAIN.output(y, 2, 3).data()).containsExactly(tile);
    }

    @Test
    void a3dModelGetsItsFramesAsItsZBlockAndGivesBackTheCentreSlice() {
        TileTensors cube = new TileTensors(TensorLayout.BCYX, TensorLayout.BCYX, 3, 1);
        // 3 frames of 1 x 2: z0 = 1 2, z1 = 3 4, z2 = 5 6
        float[] frames = {1, 2, 3, 4, 5, 6};

        assertThat(cube.inputShape(1, 3, 1, 2)).containsExactly(1, 1, 3, 1, 2);
        assertThat(cube.input(frames, 1, 3, 1, 2)).containsExactly(frames);
        // two batch items of [1, 3, 1, 2]: each keeps its own z = 1
        NpyArray y = new NpyArray(new long[] {2, 1, 3, 1, 2}, new float[] {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60});
        NpyArray out = cube.output(y, 1, 2);

        assertThat(out.shape()).containsExactly(2, 1, 1, 2);
        assertThat(out.data()).containsExactly(3, 4, 30, 40);
        assertThat(cube.inputAsTile(new long[] {-1, 1, 3, -1, -1})).containsExactly(-1, 3, -1, -1);
        assertThat(cube.outputAsTile(new long[] {-1, 2, 3, -1, -1})).containsExactly(-1, 2, -1, -1);
    }

    @Test
    void aHalfResolutionOutputIsUpsampledBilinearlyWithPixelCentresAligned() {
        TileTensors half = new TileTensors(TensorLayout.BCYX, TensorLayout.BCYX, 0, 2);
        // one row 0 4 over two rows: output pixel j is centred on input pixel 2j + 0.5
        NpyArray y = new NpyArray(new long[] {1, 1, 1, 2}, new float[] {0, 4});
        NpyArray out = half.output(y, 2, 4);

        assertThat(out.shape()).containsExactly(1, 1, 2, 4);
        // edges repeat (0 left of the first centre, 4 right of the last), 1 and 3 a quarter of the way in between
        assertThat(out.data()).containsExactly(0, 1, 3, 4, 0, 1, 3, 4);
    }

    @Test
    void anInputSizeTheScaleDoesNotDivideTakesTheEdgeValueForItsLastPixels() {
        TileTensors third = new TileTensors(TensorLayout.BCYX, TensorLayout.BCYX, 0, 3);
        // 7 px at scale 3: the model gave floor(7 / 3) = 2; pixels 0..5 are its two, pixel 6 lies past the last centre
        NpyArray out = third.output(new NpyArray(new long[] {1, 1, 1, 2}, new float[] {0, 3}), 3, 7);

        assertThat(out.shape()).containsExactly(1, 1, 3, 7);
        float[] d = out.data();
        assertThat(d[1]).as("centre of output pixel 0").isEqualTo(0);
        assertThat(d[4]).as("centre of output pixel 1").isEqualTo(3);
        assertThat(d[2]).isCloseTo(1, within(1e-6f));
        assertThat(d[3]).isCloseTo(2, within(1e-6f));
        assertThat(d[6]).isEqualTo(3);
    }

    @Test
    void anOutputOfAnotherSizeIsGivenBackForTheCallerToName() {
        TileTensors half = new TileTensors(TensorLayout.BCYX, TensorLayout.BCYX, 0, 2);
        NpyArray full = new NpyArray(new long[] {1, 1, 2, 4}, new float[8]);

        assertThat(half.output(full, 2, 4).shape()).as("already on the input's grid: not the declared half")
                .containsExactly(1, 1, 2, 4);
        assertThat(half.output(new NpyArray(new long[] {1, 1, 1, 1}, new float[1]), 2, 4).shape())
                .containsExactly(1, 1, 1, 1);
    }

    @Test
    void aChannelLastHalfResolutionOutputIsTurnedThenUpsampled() {
        TileTensors half = new TileTensors(TensorLayout.BYXC, TensorLayout.BYXC, 0, 2);
        // [1, 1, 2, 2] channel-last: y0 = (0, 10) (4, 40), two channels per pixel
        NpyArray y = new NpyArray(new long[] {1, 1, 2, 2}, new float[] {0, 10, 4, 40});
        NpyArray out = half.output(y, 2, 4);

        assertThat(out.shape()).containsExactly(1, 2, 2, 4);
        assertThat(out.data()).containsExactly(0, 1, 3, 4, 0, 1, 3, 4, 10, 17.5f, 32.5f, 40, 10, 17.5f, 32.5f, 40);
    }
}
