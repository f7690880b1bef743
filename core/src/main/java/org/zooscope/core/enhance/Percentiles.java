package org.zooscope.core.enhance;

/**
 * Percentiles with numpy's default ({@code method='linear'}) definition: for {@code n} values and percentile
 * {@code p}, the virtual index is {@code (n - 1) * p / 100}; the result interpolates linearly between the sorted
 * values at its floor and ceiling, with numpy's {@code _lerp} rounding. Computed by selection (expected linear time,
 * three-way partitioning so images with few distinct grey levels stay fast), not by sorting.
 *
 * <p>Stateless and thread-safe. The {@code scratch} arrays passed in are overwritten; the input arrays are not
 * modified.
 */
public final class Percentiles {

    private Percentiles() {
    }

    /** One percentile of {@code data[0..n)}; allocates a scratch copy. */
    public static double of(float[] data, int n, double p) {
        return of(data, n, new double[] {p}, new float[n])[0];
    }

    /**
     * Several percentiles of {@code data[0..n)} in one pass of selections.
     *
     * @param ps      percentiles in [0, 100], any order
     * @param scratch at least {@code n} floats, overwritten
     * @return the percentiles in the order of {@code ps}
     * @throws IllegalArgumentException if {@code n < 1}, a percentile is outside [0, 100], or data holds NaN
     */
    public static double[] of(float[] data, int n, double[] ps, float[] scratch) {
        if (n < 1) {
            throw new IllegalArgumentException("percentile of no values");
        }
        System.arraycopy(data, 0, scratch, 0, n);
        double[] out = new double[ps.length];
        for (int i = 0; i < ps.length; i++) {
            double p = ps[i];
            if (!(p >= 0 && p <= 100)) {
                throw new IllegalArgumentException("percentile must be in [0, 100] but was " + p);
            }
            double virtual = (n - 1) * (p / 100.0);
            int lo = (int) Math.floor(virtual);
            double gamma = virtual - lo;
            double a = select(scratch, n, lo);
            double b = lo + 1 < n ? minFrom(scratch, lo + 1, n) : a;
            out[i] = lerp(a, b, gamma);
        }
        return out;
    }

    /** numpy's {@code _lerp}: {@code a + (b - a) * t}, computed from {@code b} when {@code t >= 0.5}. */
    static double lerp(double a, double b, double t) {
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    private static double minFrom(float[] a, int from, int n) {
        float m = a[from];
        for (int i = from + 1; i < n; i++) {
            if (a[i] < m) {
                m = a[i];
            }
        }
        return m;
    }

    /**
     * Rearranges {@code a[0..n)} so that {@code a[k]} is the k-th smallest, everything before it is {@code <=} and
     * everything after it {@code >=}, and returns it.
     */
    static float select(float[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        long seed = 0x9E3779B97F4A7C15L ^ n;
        while (hi > lo) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            int pi = lo + (int) ((seed >>> 33) % (hi - lo + 1));
            float pivot = a[pi];
            if (Float.isNaN(pivot)) {
                throw new IllegalArgumentException("percentile of data with NaN");
            }
            // three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                float v = a[i];
                if (v < pivot) {
                    a[i] = a[lt];
                    a[lt] = v;
                    lt++;
                    i++;
                } else if (v > pivot) {
                    a[i] = a[gt];
                    a[gt] = v;
                    gt--;
                } else if (v == pivot) {
                    i++;
                } else {
                    throw new IllegalArgumentException("percentile of data with NaN");
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[k];
    }

    /** k-th smallest of {@code a[0..n)} for doubles (same algorithm); rearranges {@code a}. */
    static double select(double[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        long seed = 0x9E3779B97F4A7C15L ^ n;
        while (hi > lo) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            int pi = lo + (int) ((seed >>> 33) % (hi - lo + 1));
            double pivot = a[pi];
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                double v = a[i];
                if (v < pivot) {
                    a[i] = a[lt];
                    a[lt] = v;
                    lt++;
                    i++;
                } else if (v > pivot) {
                    a[i] = a[gt];
                    a[gt] = v;
                    gt--;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return a[k];
    }

    /** numpy {@code median} of {@code a[0..n)} (mean of the two middle values for even n); rearranges {@code a}. */
    static double median(double[] a, int n) {
        if (n < 1) {
            return Double.NaN;
        }
        int mid = n / 2;
        double upper = select(a, n, mid);
        if ((n & 1) == 1) {
            return upper;
        }
        double lower = a[0];
        for (int i = 1; i < mid; i++) {
            if (a[i] > lower) {
                lower = a[i];
            }
        }
        return (lower + upper) / 2;
    }
}
