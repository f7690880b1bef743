package org.zooscope.core.process;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;
import org.zooscope.core.volume.Volume;

/**
 * Statistics of a whole volume (or of one plane), computed once and then used for every tile, so normalisation never
 * depends on how the volume was tiled. Mean and standard deviation are population values (numpy {@code ddof=0});
 * percentiles use numpy's default linear definition, computed exactly (a two-pass radix select, no sorting, no
 * copy of the volume). Immutable.
 *
 * @param count       number of samples
 * @param mean        mean
 * @param std         population standard deviation
 * @param min         smallest sample
 * @param max         largest sample
 * @param percentiles the percentiles that were requested, keyed by percentile in [0, 100]
 */
public record VolumeStatistics(long count, double mean, double std, double min, double max,
        Map<Double, Double> percentiles) implements SampleStatistics {

    public VolumeStatistics {
        percentiles = Collections.unmodifiableMap(new TreeMap<>(percentiles));
    }

    /**
     * The value at percentile {@code p}.
     *
     * @throws IllegalArgumentException if {@code p} was not requested when these statistics were computed
     */
    @Override
    public double percentile(double p) {
        Double v = percentiles.get(p);
        if (v == null) {
            throw new IllegalArgumentException("percentile " + p + " was not computed; have " + percentiles.keySet());
        }
        return v;
    }

    /** Statistics over every sample of {@code v}, with the given percentiles. */
    public static VolumeStatistics of(Volume v, Collection<Double> percentiles) {
        float[] buf = new float[v.planeSize()];
        return of(v.depth(), z -> {
            v.copyPlane(z, buf);
            return buf;
        }, v.planeSize(), percentiles);
    }

    /** Statistics of one plane of {@code n} samples. */
    public static VolumeStatistics ofPlane(float[] plane, int n, Collection<Double> percentiles) {
        return of(1, z -> plane, n, percentiles);
    }

    /**
     * Statistics over {@code planes} planes of {@code n} samples each, delivered by {@code plane} (which may reuse
     * one buffer; it is called twice per plane when percentiles are requested).
     *
     * @throws IllegalArgumentException if a sample is NaN or a percentile is outside [0, 100]
     */
    public static VolumeStatistics of(int planes, IntFunction<float[]> plane, int n, Collection<Double> percentiles) {
        Objects.requireNonNull(percentiles, "percentiles");
        TreeSet<Double> ps = new TreeSet<>(percentiles);
        for (double p : ps) {
            if (!(p >= 0 && p <= 100)) {
                throw new IllegalArgumentException("percentile must be in [0, 100] but was " + p);
            }
        }
        long count = (long) planes * n;
        if (count == 0) {
            throw new IllegalArgumentException("statistics of no samples");
        }
        ExactQuantiles q = new ExactQuantiles();
        double shift = Double.NaN;
        double sum = 0;
        double sumSq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int z = 0; z < planes; z++) {
            float[] p = plane.apply(z);
            if (Double.isNaN(shift)) {
                shift = p[0];
            }
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                float f = p[i];
                if (f != f) {
                    throw new IllegalArgumentException("NaN sample in plane " + z + " at index " + i);
                }
                double d = f - shift;
                s += d;
                s2 += d * d;
                if (f < min) {
                    min = f;
                }
                if (f > max) {
                    max = f;
                }
            }
            sum += s;
            sumSq += s2;
            if (!ps.isEmpty()) {
                q.countHigh(p, 0, n);
            }
        }
        double meanShifted = sum / count;
        double mean = shift + meanShifted;
        double var = Math.max(0, sumSq / count - meanShifted * meanShifted);
        Map<Double, Double> out = new TreeMap<>();
        if (!ps.isEmpty()) {
            long[] ranks = new long[2 * ps.size()];
            double[] gamma = new double[ps.size()];
            int i = 0;
            for (double p : ps) {
                double virtual = (count - 1) * (p / 100.0);
                long lo = (long) Math.floor(virtual);
                gamma[i] = virtual - lo;
                ranks[2 * i] = lo;
                ranks[2 * i + 1] = Math.min(lo + 1, count - 1);
                i++;
            }
            q.prepare(ranks);
            for (int z = 0; z < planes; z++) {
                q.countLow(plane.apply(z), 0, n);
            }
            i = 0;
            for (double p : ps) {
                double a = q.value(2 * i);
                double b = q.value(2 * i + 1);
                double diff = b - a;
                out.put(p, gamma[i] >= 0.5 ? b - diff * (1 - gamma[i]) : a + diff * gamma[i]);
                i++;
            }
        }
        return new VolumeStatistics(count, mean, Math.sqrt(var), min, max, out);
    }
}
