package org.zooscope.core.render;

import java.util.List;

/**
 * How an overlay combines the raw image with one or more structures. Immutable.
 *
 * <ul>
 *   <li>{@link Mode#ADDITIVE} (CDeep3M's {@code Create_overlays.py}):
 *       {@code out = (rawWeight · grey + Σ opacity_k · strength_k · colour_k) / outputHigh}, clamped; the raw image
 *       is dimmed everywhere.</li>
 *   <li>{@link Mode#ALPHA}: each structure is alpha-composited over the grey image with alpha
 *       {@code opacity_k · strength_k}, in list order (later layers on top); where nothing is segmented the raw image
 *       shows unchanged.</li>
 * </ul>
 * {@code grey} is the raw sample mapped through the {@link DisplayRange} and then stretched so that {@code rawHigh}
 * (a fraction of the display range) is white.
 *
 * @param mode       how layers combine with the raw image
 * @param rawHigh    fraction of the display range shown white (CDeep3M: 235/255)
 * @param rawWeight  weight of the raw image in {@link Mode#ADDITIVE} (CDeep3M: 0.6); ignored in ALPHA
 * @param outputHigh output value (fraction of 255) stretched to white at the end (CDeep3M: 225/255); 1 = none
 * @param layers     structures, at least one
 */
public record OverlayStyle(Mode mode, double rawHigh, double rawWeight, double outputHigh, List<OverlayLayer> layers) {

    /** Layer combination. */
    public enum Mode {
        ADDITIVE,
        ALPHA
    }

    public OverlayStyle {
        if (mode == null || layers == null || layers.isEmpty()) {
            throw new IllegalArgumentException("an overlay needs a mode and at least one layer");
        }
        if (!(rawHigh > 0 && rawHigh <= 1) || !(outputHigh > 0 && outputHigh <= 1) || !(rawWeight >= 0)) {
            throw new IllegalArgumentException("rawHigh and outputHigh must be in (0, 1], rawWeight >= 0, but were "
                    + rawHigh + ", " + outputHigh + ", " + rawWeight);
        }
        layers = List.copyOf(layers);
    }

    /**
     * CDeep3M's look: segmentation window 40..215 (of 255) in green at weight 0.4 added to the raw image (window
     * 0..235) at weight 0.6, then 0..225 stretched to 0..255.
     */
    public static OverlayStyle cdeep3m() {
        return new OverlayStyle(Mode.ADDITIVE, 235.0 / 255, 0.6, 225.0 / 255,
                List.of(new OverlayLayer(OverlayLayer.GREEN, 0.4, 40.0 / 255, 215.0 / 255)));
    }

    /** Alpha compositing of the given layers over the unchanged raw image. */
    public static OverlayStyle alpha(List<OverlayLayer> layers) {
        return new OverlayStyle(Mode.ALPHA, 1, 1, 1, layers);
    }

    /** This style with its first layer's colour and opacity replaced (the common "pick a colour" control). */
    public OverlayStyle withColour(int rgb, double opacity) {
        OverlayLayer f = layers.get(0);
        List<OverlayLayer> l = new java.util.ArrayList<>(layers);
        l.set(0, new OverlayLayer(rgb, opacity, f.low(), f.high()));
        return new OverlayStyle(mode, rawHigh, rawWeight, outputHigh, l);
    }
}
