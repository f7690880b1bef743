package org.zooscope.core.tiling;

/**
 * The 16 test-time augmentation variants of CDeep3M: the 8 symmetries of the square (variants 0–7) and the same 8
 * applied to the z-reversed input (variants 8–15). Arrays are {@code [c][h][w]} row-major; for 2.5D inputs the
 * channels are the z-frames, so z-reversal reverses the channel order.
 *
 * <p>Spatial variants, by index {@code v % 8} ({@code numpy} notation on the {@code [h][w]} image):
 * 0 identity, 1 flip x ({@code fliplr}), 2 flip y ({@code flipud}), 3 {@code rot90} (counter-clockwise),
 * 4 {@code rot90(k=-1)}, 5 {@code rot90(fliplr)} (= transpose), 6 {@code rot90(flipud)} (= anti-transpose),
 * 7 {@code rot180}. Variants 3–6 swap height and width.
 *
 * <p>{@link #invert} is the exact inverse of {@link #apply} (channels included). For model outputs, whose channels
 * are classes rather than z-frames, use {@link #invertSpatial}: it undoes only the spatial part. Stateless and
 * thread-safe; every method returns a new array.
 */
public final class AugmentationVariants {

    /** Number of variants. */
    public static final int COUNT = 16;

    private AugmentationVariants() {
    }

    /** Height of the result of {@link #apply} for an {@code h × w} input. */
    public static int outputHeight(int variant, int h, int w) {
        return swaps(variant) ? w : h;
    }

    /** Width of the result of {@link #apply} for an {@code h × w} input. */
    public static int outputWidth(int variant, int h, int w) {
        return swaps(variant) ? h : w;
    }

    /** Whether the variant swaps height and width. */
    public static boolean swaps(int variant) {
        int s = spatial(variant);
        return s >= 3 && s <= 6;
    }

    /** Whether the variant reverses z (channel order on input). */
    public static boolean reversesZ(int variant) {
        check(variant);
        return variant >= 8;
    }

    /**
     * Applies the variant to {@code data[c][h][w]}.
     *
     * @return a new array {@code [c][outputHeight][outputWidth]}
     */
    public static float[] apply(int variant, float[] data, int c, int h, int w) {
        checkSize(data, c, h, w);
        int s = spatial(variant);
        boolean rev = variant >= 8;
        int oh = swaps(variant) ? w : h;
        int ow = swaps(variant) ? h : w;
        float[] out = new float[c * h * w];
        int plane = h * w;
        for (int k = 0; k < c; k++) {
            int srcC = rev ? c - 1 - k : k;
            transform(s, data, srcC * plane, h, w, out, k * plane, oh, ow);
        }
        return out;
    }

    /**
     * Exact inverse of {@link #apply}: {@code invert(v, apply(v, x, c, h, w), c, outputHeight, outputWidth)} equals
     * {@code x}. {@code h × w} are the dimensions of the augmented array.
     */
    public static float[] invert(int variant, float[] data, int c, int h, int w) {
        return invert(variant, data, c, h, w, true);
    }

    /**
     * Undoes only the spatial part of the variant, keeping the channel order: for model outputs whose channels are
     * classes. {@code h × w} are the dimensions of the augmented (model output) array.
     */
    public static float[] invertSpatial(int variant, float[] data, int c, int h, int w) {
        return invert(variant, data, c, h, w, false);
    }

    private static float[] invert(int variant, float[] data, int c, int h, int w, boolean channels) {
        checkSize(data, c, h, w);
        int s = spatial(variant);
        int inv = switch (s) {
            case 3 -> 4;
            case 4 -> 3;
            default -> s; // flips, transposes and rot180 are their own inverses
        };
        boolean rev = channels && variant >= 8;
        boolean sw = s >= 3 && s <= 6;
        int oh = sw ? w : h;
        int ow = sw ? h : w;
        float[] out = new float[c * h * w];
        int plane = h * w;
        for (int k = 0; k < c; k++) {
            int srcC = rev ? c - 1 - k : k;
            transform(inv, data, srcC * plane, h, w, out, k * plane, oh, ow);
        }
        return out;
    }

    /** out[i][j] for the output of spatial transform s on an h × w source. */
    private static void transform(int s, float[] src, int so, int h, int w, float[] dst, int d0, int oh, int ow) {
        if (s == 0) {
            System.arraycopy(src, so, dst, d0, h * w);
            return;
        }
        for (int i = 0; i < oh; i++) {
            int d = d0 + i * ow;
            for (int j = 0; j < ow; j++) {
                int r;
                int col;
                switch (s) {
                    case 1 -> { // fliplr
                        r = i;
                        col = w - 1 - j;
                    }
                    case 2 -> { // flipud
                        r = h - 1 - i;
                        col = j;
                    }
                    case 3 -> { // rot90 ccw: out[i][j] = in[j][w-1-i]
                        r = j;
                        col = w - 1 - i;
                    }
                    case 4 -> { // rot90 cw: out[i][j] = in[h-1-j][i]
                        r = h - 1 - j;
                        col = i;
                    }
                    case 5 -> { // transpose
                        r = j;
                        col = i;
                    }
                    case 6 -> { // anti-transpose
                        r = h - 1 - j;
                        col = w - 1 - i;
                    }
                    default -> { // rot180
                        r = h - 1 - i;
                        col = w - 1 - j;
                    }
                }
                dst[d + j] = src[so + r * w + col];
            }
        }
    }

    private static int spatial(int variant) {
        check(variant);
        return variant % 8;
    }

    private static void check(int variant) {
        if (variant < 0 || variant >= COUNT) {
            throw new IllegalArgumentException("variant must be in 0..15 but was " + variant);
        }
    }

    private static void checkSize(float[] data, int c, int h, int w) {
        if (c < 1 || h < 1 || w < 1 || data.length != c * h * w) {
            throw new IllegalArgumentException("array of " + data.length + " samples is not " + c + "x" + h + "x" + w);
        }
    }
}
