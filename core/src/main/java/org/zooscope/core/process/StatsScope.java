package org.zooscope.core.process;

import java.util.Collection;
import java.util.Locale;

/**
 * Over which samples a data-dependent step computes its statistics, from the bioimage.io {@code axes} it reduces over:
 * across planes (the step names {@code z} or {@code batch}, or no axes at all) or each plane on its own, and across
 * channels or each channel on its own. Never per tile.
 */
public enum StatsScope {
    /** Every sample (no {@code axes}, or all of them). */
    VOLUME(true, true),
    /** Each z-plane (a 2-D model's image) on its own, its channels together. */
    PLANE(false, true),
    /** Across planes, each channel on its own. */
    VOLUME_PER_CHANNEL(true, false),
    /** Each plane and channel on its own (bioimage.io's 2-D default, {@code axes: [y, x]}). */
    PLANE_PER_CHANNEL(false, false);

    private final boolean acrossPlanes;
    private final boolean acrossChannels;

    StatsScope(boolean acrossPlanes, boolean acrossChannels) {
        this.acrossPlanes = acrossPlanes;
        this.acrossChannels = acrossChannels;
    }

    public boolean acrossPlanes() {
        return acrossPlanes;
    }

    public boolean acrossChannels() {
        return acrossChannels;
    }

    /**
     * The scope a bioimage.io {@code axes} kwarg declares: 0.5 names ({@code [batch, channel, z, y, x]}) or a 0.4
     * letter string ({@code "bcyx"}, {@code "xy"}); null or empty means all axes.
     */
    public static StatsScope fromAxes(Collection<String> axes) {
        if (axes == null || axes.isEmpty()) {
            return VOLUME;
        }
        boolean planes = false;
        boolean channels = false;
        for (String a : axes) {
            switch (a.toLowerCase(Locale.ROOT)) {
                case "z", "b", "batch" -> planes = true;
                case "c", "channel", "i" -> channels = true;
                default -> {
                    // y and x: every scope reduces over the plane
                }
            }
        }
        return planes ? (channels ? VOLUME : VOLUME_PER_CHANNEL) : (channels ? PLANE : PLANE_PER_CHANNEL);
    }

    /** This scope, reducing across planes too (bioimage.io 0.4 {@code mode: per_dataset}). */
    StatsScope acrossPlanesToo() {
        return acrossChannels ? VOLUME : VOLUME_PER_CHANNEL;
    }
}
