package org.zooscope.core.render;

/**
 * One structure drawn over the raw image: its colour, its opacity, and the probability window that maps to mask
 * strength 0..1 ({@code (p - low) / (high - low)}, clamped). Immutable.
 *
 * @param rgb     colour as 0xRRGGBB
 * @param opacity weight of the colour, 0..1
 * @param low     probability at and below which nothing is drawn
 * @param high    probability at and above which the colour is at full strength
 */
public record OverlayLayer(int rgb, double opacity, double low, double high) {

    /** CDeep3M's green. */
    public static final int GREEN = 0x00FF00;

    public OverlayLayer {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be in [0, 1] but was " + opacity);
        }
        if (!(high > low)) {
            throw new IllegalArgumentException("need low < high but was " + low + ", " + high);
        }
        rgb &= 0xFFFFFF;
    }

    /** A layer with the full probability window [0, 1]. */
    public static OverlayLayer of(int rgb, double opacity) {
        return new OverlayLayer(rgb, opacity, 0, 1);
    }

    /** Mask strength of probability {@code p}. */
    public double strength(double p) {
        double s = (p - low) / (high - low);
        return s < 0 ? 0 : s > 1 ? 1 : s;
    }
}
