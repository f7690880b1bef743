package org.zooscope.core.render;

import org.zooscope.core.process.VolumeStatistics;
import org.zooscope.core.volume.DataType;

/**
 * The sample values shown as black ({@code low}) and white ({@code high}); values outside are clamped. Immutable.
 *
 * @param low  value shown black
 * @param high value shown white, &gt; low
 */
public record DisplayRange(double low, double high) {

    public DisplayRange {
        if (!(high > low) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("display range needs finite low < high but was " + low + ", " + high);
        }
    }

    /** The full range of an integer type (0..255, 0..65535); [0, 1] for floats. */
    public static DisplayRange of(DataType type) {
        return switch (type) {
            case UINT8 -> new DisplayRange(0, 255);
            case UINT16 -> new DisplayRange(0, 65535);
            case INT32, FLOAT32 -> new DisplayRange(0, 1);
        };
    }

    /**
     * From volume statistics: the two given percentiles (which must have been computed), or min/max if they are
     * equal.
     */
    public static DisplayRange fromStatistics(VolumeStatistics s, double lowPercentile, double highPercentile) {
        double lo = s.percentile(lowPercentile);
        double hi = s.percentile(highPercentile);
        if (hi > lo) {
            return new DisplayRange(lo, hi);
        }
        return s.max() > s.min() ? new DisplayRange(s.min(), s.max()) : new DisplayRange(s.min(), s.min() + 1);
    }

    /** {@code v} mapped to [0, 1], clamped. */
    public double unit(double v) {
        double u = (v - low) / (high - low);
        return u < 0 ? 0 : u > 1 ? 1 : u;
    }
}
