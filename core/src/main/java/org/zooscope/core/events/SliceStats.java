package org.zooscope.core.events;

import java.util.Arrays;

/**
 * Mergeable statistics of pixel values: count, sum, sum of squares, min, max, and a histogram of {@code bins.length}
 * equal bins over {@code [lo, hi]} (values outside are counted in the end bins). Percentiles are read from the
 * histogram, interpolated within a bin, so their error is at most one bin width.
 */
public record SliceStats(long count, double sum, double sumSq, double min, double max, double lo, double hi, long[] bins)
        implements org.zooscope.core.process.SampleStatistics {

    public static SliceStats of(float[] values, double lo, double hi, int binCount) {
        long[] bins = new long[binCount];
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double scale = hi > lo ? binCount / (hi - lo) : 0;
        for (float v : values) {
            sum += v;
            sumSq += (double) v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            int b = (int) ((v - lo) * scale);
            bins[Math.max(0, Math.min(binCount - 1, b))]++;
        }
        return new SliceStats(values.length, sum, sumSq, min, max, lo, hi, bins);
    }

    public SliceStats merge(SliceStats o) {
        if (o.lo != lo || o.hi != hi || o.bins.length != bins.length) {
            throw new IllegalArgumentException("cannot merge histograms over different ranges");
        }
        long[] b = bins.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] += o.bins[i];
        }
        return new SliceStats(count + o.count, sum + o.sum, sumSq + o.sumSq, Math.min(min, o.min), Math.max(max, o.max), lo, hi, b);
    }

    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /** Population standard deviation, as numpy's {@code std}. */
    public double std() {
        if (count == 0) {
            return 0;
        }
        double m = mean();
        return Math.sqrt(Math.max(0, sumSq / count - m * m));
    }

    /** The value below which {@code p} percent of the values lie (0 ≤ p ≤ 100). */
    public double percentile(double p) {
        if (count == 0) {
            return 0;
        }
        if (p <= 0) {
            return min;
        }
        if (p >= 100) {
            return max;
        }
        double target = p / 100.0 * count;
        double width = (hi - lo) / bins.length;
        long seen = 0;
        for (int i = 0; i < bins.length; i++) {
            if (seen + bins[i] >= target && bins[i] > 0) {
                double within = (target - seen) / bins[i];
                return Math.max(min, Math.min(max, lo + (i + within) * width));
            }
            seen += bins[i];
        }
        return max;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SliceStats s && count == s.count && sum == s.sum && sumSq == s.sumSq && min == s.min
                && max == s.max && lo == s.lo && hi == s.hi && Arrays.equals(bins, s.bins);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + Arrays.hashCode(bins);
    }

    @Override
    public String toString() {
        return "SliceStats[count=" + count + ", mean=" + mean() + ", min=" + min + ", max=" + max + "]";
    }
}
