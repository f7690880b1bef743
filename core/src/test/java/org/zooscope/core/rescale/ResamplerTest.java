package org.zooscope.core.rescale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static float[] pattern(int w, int h, java.util.function.IntBinaryOperator f) {
        float[] p = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = f.applyAsInt(x, y);
            }
        }
        return p;
    }

    private static double mean(float[] p) {
        double s = 0;
        for (float v : p) {
            s += v;
        }
        return s / p.length;
    }

    @Test
    void halvingAPixelCheckerboardAveragesItInsteadOfAliasing() {
        // the finest pattern there is: plain decimation would keep only the 1s (or only the 0s)
        float[] board = pattern(64, 64, (x, y) -> (x + y) % 2);
        float[] half = Resampler.resample(board, 64, 64, 32, 32);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean edge = x == 0 || y == 0 || x == 31 || y == 31; // the repeated edge pixel weighs a little more
                assertThat(half[y * 32 + x]).isCloseTo(0.5f, within(edge ? 0.05f : 1e-5f));
            }
        }
    }

    @Test
    void detailFinerThanTheNewPixelsIsDampedAndCoarseDetailKept() {
        int n = 256;
        // stripes of period 3 px are above the Nyquist limit after halving (period 1.5 new px): they must fade;
        // stripes of period 32 px survive
        float[] fine = pattern(n, n, (x, y) -> 0);
        float[] coarse = pattern(n, n, (x, y) -> 0);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                fine[y * n + x] = (float) Math.sin(2 * Math.PI * x / 3.0);
                coarse[y * n + x] = (float) Math.sin(2 * Math.PI * x / 32.0);
            }
        }
        double fineEnergy = energy(Resampler.resample(fine, n, n, n / 2, n / 2));
        double coarseEnergy = energy(Resampler.resample(coarse, n, n, n / 2, n / 2));
        assertThat(energy(fine)).isCloseTo(0.5, within(0.01));
        assertThat(fineEnergy).isLessThan(0.05);
        assertThat(coarseEnergy).isGreaterThan(0.45);
    }

    private static double energy(float[] p) {
        double s = 0;
        for (float v : p) {
            s += (double) v * v;
        }
        return s / p.length;
    }

    @Test
    void keepsTheMeanAndTheRangeOfAnyImage() {
        java.util.Random r = new java.util.Random(7);
        float[] noise = new float[200 * 120];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextFloat();
        }
        for (int[] size : new int[][] {{100, 60}, {137, 81}, {400, 240}, {293, 177}}) {
            float[] out = Resampler.resample(noise, 200, 120, size[0], size[1]);
            assertThat(out).hasSize(size[0] * size[1]);
            assertThat(mean(out)).isCloseTo(mean(noise), within(0.01));
            for (float v : out) {
                assertThat(v).isBetween(-1e-6f, 1 + 1e-6f);
            }
        }
    }

    @Test
    void aSmoothImageComesBackFromHalfSizeWithinABoundAndAConstantExactly() {
        int w = 240;
        int h = 160;
        float[] smooth = pattern(w, h, (x, y) -> 0);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                smooth[y * w + x] = (float) (0.5 + 0.4 * Math.sin(2 * Math.PI * x / 40.0) * Math.cos(2 * Math.PI * y / 50.0));
            }
        }
        float[] back = Resampler.resample(Resampler.resample(smooth, w, h, w / 2, h / 2), w / 2, h / 2, w, h);
        double maxErr = 0;
        for (int i = 0; i < back.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(back[i] - smooth[i]));
        }
        assertThat(maxErr).isLessThan(0.05); // amplitude 0.4: the round trip keeps 90 % of a 40-px wave

        float[] flat = pattern(w, h, (x, y) -> 3);
        for (float v : Resampler.resample(Resampler.resample(flat, w, h, 77, 51), 77, 51, w, h)) {
            assertThat(v).isCloseTo(3f, within(1e-5f));
        }
    }

    @Test
    void upsamplingInterpolatesBetweenPixelCentres() {
        float[] ramp = {0, 1, 2, 3};
        float[] up = Resampler.resample(ramp, 4, 1, 8, 1);
        // centres of the new pixels lie at -0.25, 0.25, 0.75, ... of the old grid; the edge repeats
        assertThat(up).containsExactly(new float[] {0, 0.25f, 0.75f, 1.25f, 1.75f, 2.25f, 2.75f, 3}, within(1e-6f));
    }

    @Test
    void theSameSizeIsACopyAndBadSizesAreRefused() {
        float[] p = {1, 2, 3, 4};
        float[] same = Resampler.resample(p, 2, 2, 2, 2);
        assertThat(same).containsExactly(p).isNotSameAs(p);
        assertThatThrownBy(() -> Resampler.resample(p, 2, 2, 0, 2)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Resampler.resample(p, 3, 2, 1, 1)).hasMessageContaining("not 3 x 2");
    }
}
