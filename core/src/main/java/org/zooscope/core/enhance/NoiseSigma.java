package org.zooscope.core.enhance;

/**
 * Robust Gaussian noise σ of a 2-D image, as scikit-image's {@code estimate_sigma} (0.19, single channel): the
 * median absolute value of the finest diagonal ({@code 'dd'}) Daubechies-2 wavelet detail coefficients, exact zeros
 * excluded, divided by Φ⁻¹(0.75) = 0.6744897501960817 (Donoho &amp; Johnstone 1994). The wavelet transform follows
 * PyWavelets' {@code dwtn(image, 'db2')} with its default half-sample symmetric boundary: for a length-n axis the
 * detail has {@code (n + 3) / 2} coefficients, {@code d[i] = Σ_j hi[j] · x[2i + 1 - j]}. Computed in double
 * precision. Stateless and thread-safe.
 */
public final class NoiseSigma {

    /** PyWavelets' db2 decomposition high-pass filter. */
    private static final double[] HI = {-0.48296291314453416, 0.8365163037378079, -0.2241438680420134,
        -0.12940952255126037};
    /** scipy.stats.norm.ppf(0.75). */
    static final double NORM_PPF_075 = 0.6744897501960817;

    private NoiseSigma() {
    }

    /** σ estimate of {@code plane} ({@code w × h}, row-major); 0 if every detail coefficient is zero. */
    public static double estimate(float[] plane, int w, int h) {
        return estimate(plane, w, h, new Buffers());
    }

    /** Reusable work arrays for {@link #estimate(float[], int, int, Buffers)}; one per thread. */
    public static final class Buffers {
        private double[] tmp = new double[0];
        private double[] dd = new double[0];
    }

    /** As {@link #estimate(float[], int, int)}, reusing {@code buffers} (grown as needed). */
    public static double estimate(float[] plane, int w, int h, Buffers buffers) {
        int lw = (w + 3) / 2;
        int lh = (h + 3) / 2;
        if (buffers.tmp.length < h * lw) {
            buffers.tmp = new double[h * lw];
        }
        if (buffers.dd.length < lh * lw) {
            buffers.dd = new double[lh * lw];
        }
        double[] dd = detailDiagonal(plane, w, h, buffers.tmp, buffers.dd);
        int total = lh * lw;
        int n = 0;
        for (int i = 0; i < total; i++) {
            double v = dd[i];
            if (v != 0) {
                dd[n++] = Math.abs(v);
            }
        }
        if (n == 0) {
            return 0;
        }
        return Percentiles.median(dd, n) / NORM_PPF_075;
    }

    /** The {@code 'dd'} coefficients, {@code ((h+3)/2) × ((w+3)/2)}, row-major. */
    static double[] detailDiagonal(float[] plane, int w, int h) {
        return detailDiagonal(plane, w, h, new double[h * ((w + 3) / 2)], new double[((h + 3) / 2) * ((w + 3) / 2)]);
    }

    private static double[] detailDiagonal(float[] plane, int w, int h, double[] tmp, double[] dd) {
        int lw = (w + 3) / 2;
        int lh = (h + 3) / 2;
        // along x for every row
        int[] xi = new int[4 * lw];
        for (int i = 0; i < lw; i++) {
            for (int j = 0; j < 4; j++) {
                xi[4 * i + j] = sym(2 * i + 1 - j, w);
            }
        }
        for (int y = 0; y < h; y++) {
            int row = y * w;
            int o = y * lw;
            for (int i = 0; i < lw; i++) {
                int b = 4 * i;
                tmp[o + i] = HI[0] * plane[row + xi[b]] + HI[1] * plane[row + xi[b + 1]]
                        + HI[2] * plane[row + xi[b + 2]] + HI[3] * plane[row + xi[b + 3]];
            }
        }
        // along y
        for (int i = 0; i < lh; i++) {
            int r0 = sym(2 * i + 1, h) * lw;
            int r1 = sym(2 * i, h) * lw;
            int r2 = sym(2 * i - 1, h) * lw;
            int r3 = sym(2 * i - 2, h) * lw;
            int o = i * lw;
            for (int x = 0; x < lw; x++) {
                dd[o + x] = HI[0] * tmp[r0 + x] + HI[1] * tmp[r1 + x] + HI[2] * tmp[r2 + x] + HI[3] * tmp[r3 + x];
            }
        }
        return dd;
    }

    /** Half-sample symmetric extension (numpy {@code 'symmetric'}): x[-1] = x[0], x[n] = x[n-1]. */
    static int sym(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }
}
