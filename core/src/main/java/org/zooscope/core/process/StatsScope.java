package org.zooscope.core.process;

import java.util.Collection;
import java.util.Locale;

/**
 * Over which samples a data-dependent operation computes its statistics. Never per tile.
 */
public enum StatsScope {
    /** Every sample of the volume (bioimage.io {@code axes} absent, or including {@code z} or {@code batch}). */
    VOLUME,
    /**
     * Each z-plane on its own (bioimage.io {@code axes} naming only {@code x}, {@code y} and possibly
     * {@code channel}: a 2-D model normalises each image, and a plane is one image).
     */
    PLANE;

    /** The scope a bioimage.io {@code axes} kwarg declares; null means all axes, hence {@link #VOLUME}. */
    public static StatsScope fromAxes(Collection<String> axes) {
        if (axes == null || axes.isEmpty()) {
            return VOLUME;
        }
        for (String a : axes) {
            String s = a.toLowerCase(Locale.ROOT);
            if (s.equals("z") || s.equals("b") || s.equals("batch")) {
                return VOLUME;
            }
        }
        return PLANE;
    }
}
