package org.zooscope.core.rescale;

/**
 * Resamples a float plane to another size, separably (x, then y), with a triangle (linear) kernel widened by the
 * reduction factor when shrinking, so that detail finer than the new pixels is averaged out instead of aliased (as
 * image libraries' "antialias" resizes do). Weights are non-negative and sum to 1: a constant stays constant, the
 * mean is kept (to the edges' weighting) and no value leaves the input's range, so probabilities stay in 0..1. Pixels
 * are areas: both planes cover the same extent, pixel {@code i} of {@code n} spanning {@code [i, i + 1) / n} of it;
 * past the edges the edge pixel is repeated. Pure and thread-safe.
 */
public final class Resampler {

    private Resampler() {
    }

    /** {@code plane} ({@code width × height}, row-major) resampled to {@code outWidth × outHeight}. */
    public static float[] resample(float[] plane, int width, int height, int outWidth, int outHeight) {
        if (width < 1 || height < 1 || outWidth < 1 || outHeight < 1) {
            throw new IllegalArgumentException("sizes must be positive: " + width + " x " + height + " -> " + outWidth
                    + " x " + outHeight);
        }
        if (plane.length != (long) width * height) {
            throw new IllegalArgumentException("plane holds " + plane.length + " samples, not " + width + " x " + height);
        }
        if (width == outWidth && height == outHeight) {
            return plane.clone();
        }
        Weights wx = Weights.of(width, outWidth);
        Weights wy = Weights.of(height, outHeight);
        float[] rows = new float[outWidth * height];
        for (int y = 0; y < height; y++) {
            wx.apply(plane, y * width, 1, rows, y * outWidth, 1);
        }
        float[] out = new float[outWidth * outHeight];
        for (int x = 0; x < outWidth; x++) {
            wy.apply(rows, x, outWidth, out, x, outWidth);
        }
        return out;
    }

    /** One axis' weights: for each output sample, the first input sample it reads and the weights that follow. */
    private record Weights(int[] first, float[][] weights, int inSize) {

        static Weights of(int in, int out) {
            double scale = (double) in / out; // input samples per output sample
            double support = Math.max(1.0, scale); // the kernel's half width, in input samples
            int[] first = new int[out];
            float[][] weights = new float[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale - 0.5;
                int lo = (int) Math.floor(centre - support) + 1;
                int hi = (int) Math.ceil(centre + support) - 1;
                float[] w = new float[hi - lo + 1];
                double sum = 0;
                for (int k = lo; k <= hi; k++) {
                    double t = 1 - Math.abs(k - centre) / support;
                    w[k - lo] = (float) Math.max(0, t);
                    sum += w[k - lo];
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= (float) sum;
                }
                first[i] = lo;
                weights[i] = w;
            }
            return new Weights(first, weights, in);
        }

        /** Resamples one line: {@code src[srcOff + k * srcStride]} to {@code dst[dstOff + i * dstStride]}. */
        void apply(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride) {
            for (int i = 0; i < first.length; i++) {
                float[] w = weights[i];
                int lo = first[i];
                double acc = 0;
                for (int k = 0; k < w.length; k++) {
                    int s = Math.min(inSize - 1, Math.max(0, lo + k)); // the edge repeated
                    acc += w[k] * src[srcOff + s * srcStride];
                }
                dst[dstOff + i * dstStride] = (float) acc;
            }
        }
    }
}
