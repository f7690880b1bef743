package org.zooscope.core.enhance;

/**
 * Isotropic total-variation denoising of a 2-D image by Chambolle's projection algorithm, step for step as
 * scikit-image's {@code denoise_tv_chambolle} (0.19: {@code _denoise_tv_chambolle_nd}, {@code tau = 1/4}), including
 * its stopping rule: stop when {@code |E(n-1) - E(n)| < eps · E(0)}, where
 * {@code E = (Σ d² + weight · Σ |∇out|) / N} and {@code d} is the (negative) divergence of the dual field; at most
 * {@code maxIter} iterations. Arithmetic in double precision; the result is rounded to float once.
 *
 * <p>Thread-safety: an instance holds work buffers for one image size; use one instance per thread. The static
 * method allocates its own buffers.
 */
public final class TvDenoise {

    /** skimage's default {@code eps}. */
    public static final double DEFAULT_EPS = 2.0e-4;
    /** skimage's default {@code max_num_iter}. */
    public static final int DEFAULT_MAX_ITER = 200;

    private int capacity;
    private double[] px;
    private double[] py;
    private double[] out;

    /** Creates an instance with no buffers yet; they grow to the largest image seen. */
    public TvDenoise() {
        this.capacity = 0;
    }

    /** One-off denoising with freshly allocated buffers; returns the number of iterations run. */
    public static int chambolle(float[] in, int w, int h, double weight, double eps, int maxIter, float[] dst) {
        return new TvDenoise().denoise(in, w, h, weight, eps, maxIter, dst);
    }

    /**
     * Denoises {@code in} ({@code w × h}) into {@code dst} (may be the same array).
     *
     * @param weight denoising weight (skimage's {@code weight}), &gt; 0; with {@code weight <= 0} the input is copied
     *               unchanged (skimage would divide by zero and return NaN)
     * @return iterations run (skimage's loop counter at exit)
     */
    public int denoise(float[] in, int w, int h, double weight, double eps, int maxIter, float[] dst) {
        int n = w * h;
        if (!(weight > 0) || maxIter < 1) {
            System.arraycopy(in, 0, dst, 0, n);
            return 0;
        }
        ensure(n);
        java.util.Arrays.fill(px, 0, n, 0);
        java.util.Arrays.fill(py, 0, n, 0);
        final double tau = 0.25;
        final double scale = tau / weight;
        double eInit = 0;
        double ePrev = 0;
        int i = 0;
        while (i < maxIter) {
            double sumD2 = 0;
            double sumNorm = 0;
            // out = image + d, where d = -(py + px) + py[y-1] + px[x-1]; row y+1 of out is formed before row y of
            // the dual field is updated, so every update sees the previous iteration's field, as in numpy.
            if (i == 0) {
                for (int k = 0; k < n; k++) {
                    out[k] = in[k];
                }
            } else {
                sumD2 += formRow(in, 0, w);
            }
            for (int y = 0; y < h; y++) {
                int row = y * w;
                boolean lastRow = y == h - 1;
                if (i > 0 && !lastRow) {
                    sumD2 += formRow(in, y + 1, w);
                }
                sumNorm += updateRow(row, w, lastRow, tau, scale);
            }
            double e = (sumD2 + weight * sumNorm) / n;
            if (i == 0) {
                eInit = e;
                ePrev = e;
            } else if (Math.abs(ePrev - e) < eps * eInit) {
                break;
            } else {
                ePrev = e;
            }
            i++;
        }
        for (int k = 0; k < n; k++) {
            dst[k] = (float) out[k];
        }
        return i;
    }

    /**
     * Updates the dual field on one row from the gradients of out (forward differences, zero on the last row and
     * column); returns Σ |∇out| over the row. {@code p / denom} is computed as {@code p * (1 / denom)}: one division
     * instead of two, a difference of at most one double ulp.
     */
    private double updateRow(int row, int w, boolean lastRow, double tau, double scale) {
        double[] o = out;
        double[] qy = py;
        double[] qx = px;
        double s = 0;
        int end = row + w - 1;
        if (!lastRow) {
            for (int k = row; k < end; k++) {
                double c = o[k];
                double gy = o[k + w] - c;
                double gx = o[k + 1] - c;
                double norm = Math.sqrt(gy * gy + gx * gx);
                s += norm;
                double inv = 1 / (1 + norm * scale);
                qy[k] = (qy[k] - tau * gy) * inv;
                qx[k] = (qx[k] - tau * gx) * inv;
            }
            double gy = o[end + w] - o[end];
            double norm = Math.abs(gy);
            s += norm;
            double inv = 1 / (1 + norm * scale);
            qy[end] = (qy[end] - tau * gy) * inv;
            qx[end] = qx[end] * inv;
        } else {
            for (int k = row; k < end; k++) {
                double gx = o[k + 1] - o[k];
                double norm = Math.abs(gx);
                s += norm;
                double inv = 1 / (1 + norm * scale);
                qy[k] = qy[k] * inv;
                qx[k] = (qx[k] - tau * gx) * inv;
            }
            // last row and column: both gradients are zero, so the field stays as it is
        }
        return s;
    }

    /** Forms row {@code y} of out from the current dual field; returns Σ d² over the row. */
    private double formRow(float[] in, int y, int w) {
        int row = y * w;
        double[] qy = py;
        double[] qx = px;
        double[] o = out;
        double s = 0;
        // x = 0: no left neighbour
        double d0 = -(qy[row] + qx[row]);
        if (y > 0) {
            d0 += qy[row - w];
        }
        o[row] = in[row] + d0;
        s += d0 * d0;
        if (y > 0) {
            for (int k = row + 1; k < row + w; k++) {
                double d = -(qy[k] + qx[k]) + qy[k - w] + qx[k - 1];
                o[k] = in[k] + d;
                s += d * d;
            }
        } else {
            for (int k = row + 1; k < row + w; k++) {
                double d = -(qy[k] + qx[k]) + qx[k - 1];
                o[k] = in[k] + d;
                s += d * d;
            }
        }
        return s;
    }

    private void ensure(int n) {
        if (capacity < n) {
            px = new double[n];
            py = new double[n];
            out = new double[n];
            capacity = n;
        }
    }
}
