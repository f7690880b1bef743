package org.zooscope.core.modelpkg.check;

import java.util.Arrays;
import org.zooscope.core.modelpkg.NpyArray;

/**
 * bioimage.io's reproducibility rule for a test run: an element mismatches when
 * {@code |actual - expected| > atol + rtol * |expected|}, and at most {@code mismatchedPerMillion} elements per million
 * may mismatch (rtol and atol 1e-3, 100 per million).
 */
public record Reproducibility(double rtol, double atol, int mismatchedPerMillion) {
    public static final Reproducibility BIOIMAGEIO = new Reproducibility(1e-3, 1e-3, 100);

    /** Null when {@code actual} reproduces {@code expected}, otherwise why not. */
    public String compare(NpyArray expected, NpyArray actual) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            return "the test run's output has shape " + Arrays.toString(actual.shape()) + " but test_output has "
                    + Arrays.toString(expected.shape());
        }
        float[] e = expected.data();
        float[] a = actual.data();
        long mismatched = 0;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs((double) a[i] - e[i]);
            if (!(diff <= atol + rtol * Math.abs(e[i]))) {
                mismatched++;
                if (!(diff <= worst)) {
                    worst = diff;
                    worstAt = i;
                }
            }
        }
        long allowed = (long) Math.floor(e.length * (mismatchedPerMillion / 1e6));
        if (mismatched <= allowed) {
            return null;
        }
        return "the test run does not reproduce test_output: " + mismatched + " of " + e.length
                + " elements differ by more than rtol " + rtol + " / atol " + atol + " (at most " + allowed
                + " may); the largest difference is " + worst + " at flat index " + worstAt
                + " (expected " + e[worstAt] + ", got " + a[worstAt] + ")";
    }
}
