package org.zooscope.core.modelpkg;

/**
 * The model's door: Zooscope's tiles ({@code [b, frames, y, x]}, channel-first, see {@link TensorLayout}) into the
 * model's own input tensor, and its output back as {@code [b, c, y, x]} on the tile's own grid. Three differences are
 * bridged here and nowhere else, so the worker and the upload's test run feed a model the same way:
 * <ul>
 *   <li>the axis order ({@link TensorLayout});</li>
 *   <li>a z axis ({@code depth > 0}): the frames are the model's z block {@code [b, 1, depth, y, x]} (the same values
 *       in the same order), and of its {@code [b, c, depth, y, x]} output the centre slice is kept, the output plane
 *       the frames are centred on;</li>
 *   <li>an output at a coarser scale ({@code outputScale > 1}, e.g. 2 for a half-resolution map): it is upsampled
 *       onto the input's grid by bilinear interpolation with pixel centres aligned (ONNX Resize's {@code half_pixel},
 *       PyTorch's {@code align_corners=False}), edge samples repeated. Bilinear rather than nearest because a
 *       probability map is smooth and nearest would show the coarse grid as steps at every tile seam.</li>
 * </ul>
 * Pure and immutable.
 *
 * @param input       the input's axis order (for a model with a z axis, always channel-first)
 * @param output      the output's axis order
 * @param depth       the model's z block, 0 for a model without a z axis
 * @param outputScale how many input pixels one output pixel spans on y and x (1: the same grid)
 */
public record TileTensors(TensorLayout input, TensorLayout output, int depth, int outputScale) {

    public TileTensors {
        if (depth < 0 || outputScale < 1) {
            throw new IllegalArgumentException("depth must be >= 0 and the output scale >= 1 but were " + depth + ", "
                    + outputScale);
        }
    }

    public static TileTensors of(ModelDescription d) {
        return new TileTensors(d.inputLayout(), d.outputLayout(), d.depth(), d.outputScale());
    }

    /** The model's input shape for a batch of {@code [b, c, h, w]} tiles. */
    public long[] inputShape(int b, int c, int h, int w) {
        return depth > 0 ? new long[] {b, 1, c, h, w} : input.shape(b, c, h, w);
    }

    /** Tile values {@code [b][c][h][w]} in the model's input order (the same array where the order is the same). */
    public float[] input(float[] bcyx, int b, int c, int h, int w) {
        return depth > 0 ? bcyx : input.fromBcyx(bcyx, b, c, h, w);
    }

    /** A graph's input shape as a tile's {@code [b, frames, y, x]}; other ranks as they are. */
    public long[] inputAsTile(long[] s) {
        if (depth > 0) {
            return s.length == 5 ? new long[] {s[0], s[2], s[3], s[4]} : s;
        }
        return s.length == 4 ? new long[] {s[0], s[input.channelAxis()], s[input.yAxis()], s[input.xAxis()]} : s;
    }

    /**
     * A graph's output shape as {@code [b, c, y, x]} (before upsampling: a free axis stays -1, a fixed one is not
     * scaled); other ranks as they are.
     */
    public long[] outputAsTile(long[] s) {
        if (depth > 0) {
            return s.length == 5 ? new long[] {s[0], s[1], s[3], s[4]} : s;
        }
        return s.length == 4 ? new long[] {s[0], s[output.channelAxis()], s[output.yAxis()], s[output.xAxis()]} : s;
    }

    /**
     * The model's output for tiles of {@code h × w} as {@code [b, c, h, w]}: in channel-first order, the centre z
     * slice, upsampled to the tile's grid. An output of an unexpected shape is given back channel-first but otherwise
     * as it is, for the caller to name against the shape it needs.
     */
    public NpyArray output(NpyArray y, int h, int w) {
        long[] s = y.shape();
        NpyArray bcyx;
        if (depth > 0) {
            if (s.length != 5) {
                return y;
            }
            bcyx = centreSlice(y);
        } else {
            bcyx = output.toBcyx(y);
        }
        long[] t = bcyx.shape();
        if (outputScale == 1 || t.length != 4 || t[2] != h / outputScale || t[3] != w / outputScale) {
            return bcyx;
        }
        return new NpyArray(new long[] {t[0], t[1], h, w},
                upsample(bcyx.data(), (int) (t[0] * t[1]), (int) t[2], (int) t[3], outputScale, h, w));
    }

    /** {@code [b, c, z, y, x]} → its centre z slice {@code [b, c, y, x]}. */
    private static NpyArray centreSlice(NpyArray y) {
        long[] s = y.shape();
        int planes = (int) (s[0] * s[1]);
        int depth = (int) s[2];
        int plane = (int) (s[3] * s[4]);
        float[] out = new float[planes * plane];
        for (int p = 0; p < planes; p++) {
            System.arraycopy(y.data(), (p * depth + depth / 2) * plane, out, p * plane, plane);
        }
        return new NpyArray(new long[] {s[0], s[1], s[3], s[4]}, out);
    }

    /**
     * {@code planes} planes of {@code sh × sw} to {@code h × w}, where source pixel {@code j} covers target pixels
     * {@code scale · j .. scale · j + scale - 1}: bilinear, pixel centres aligned, edge samples repeated (also for the
     * last target pixels where the source size was rounded down).
     */
    static float[] upsample(float[] src, int planes, int sh, int sw, int scale, int h, int w) {
        float[] out = new float[planes * h * w];
        int[] y0 = new int[h];
        int[] y1 = new int[h];
        float[] fy = new float[h];
        weights(sh, scale, h, y0, y1, fy);
        int[] x0 = new int[w];
        int[] x1 = new int[w];
        float[] fx = new float[w];
        weights(sw, scale, w, x0, x1, fx);
        for (int p = 0; p < planes; p++) {
            int in = p * sh * sw;
            int o = p * h * w;
            for (int r = 0; r < h; r++) {
                int a = in + y0[r] * sw;
                int b = in + y1[r] * sw;
                for (int c = 0; c < w; c++) {
                    float top = src[a + x0[c]] + fx[c] * (src[a + x1[c]] - src[a + x0[c]]);
                    float bottom = src[b + x0[c]] + fx[c] * (src[b + x1[c]] - src[b + x0[c]]);
                    out[o + r * w + c] = top + fy[r] * (bottom - top);
                }
            }
        }
        return out;
    }

    /** For each of {@code n} target samples, its two source samples and the weight of the second. */
    private static void weights(int sourceSize, int scale, int n, int[] lo, int[] hi, float[] frac) {
        for (int i = 0; i < n; i++) {
            double at = Math.min(Math.max((i + 0.5) / scale - 0.5, 0), sourceSize - 1);
            lo[i] = (int) at;
            hi[i] = Math.min(lo[i] + 1, sourceSize - 1);
            frac[i] = (float) (at - lo[i]);
        }
    }
}
