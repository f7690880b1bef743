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
    /** The spec's own defaults for a field a declared tolerance leaves out (bioimage.io 0.5.4 ReproducibilityTolerance). */
    private static final double SPEC_RTOL = 1e-3;
    private static final double SPEC_ATOL = 1e-4;
    private static final int SPEC_MISMATCHED = 100;

    /**
     * The tolerance the package declares for its ONNX weights and its output
     * ({@code config.bioimageio.reproducibility_tolerance}, format 0.5.4+: the first entry whose {@code output_ids} and
     * {@code weights_formats} are empty or name them), else this one.
     *
     * @throws IllegalArgumentException naming the field when a declared value is out of the spec's bounds
     */
    public Reproducibility declaredBy(org.zooscope.core.modelpkg.ModelDescription d) {
        Object bioimageio = d.config() == null ? null : d.config().get("bioimageio");
        if (!(bioimageio instanceof java.util.Map<?, ?> b) || !(b.get("reproducibility_tolerance") instanceof java.util.List<?> entries)) {
            return this;
        }
        for (Object o : entries) {
            if (o instanceof java.util.Map<?, ?> e && applies(e.get("output_ids"), d.outputName())
                    && applies(e.get("weights_formats"), "onnx")) {
                double rtol = number(e, "relative_tolerance", SPEC_RTOL);
                double atol = number(e, "absolute_tolerance", SPEC_ATOL);
                double mismatched = number(e, "mismatched_elements_per_million", SPEC_MISMATCHED);
                if (!(rtol >= 0 && rtol <= 0.01)) {
                    throw new IllegalArgumentException("config.bioimageio.reproducibility_tolerance: relative_tolerance"
                            + " must be within 0..0.01 but is " + rtol);
                }
                if (!(atol >= 0) || Double.isInfinite(atol)) {
                    throw new IllegalArgumentException("config.bioimageio.reproducibility_tolerance: absolute_tolerance"
                            + " must be a number >= 0 but is " + atol);
                }
                if (!(mismatched >= 0 && mismatched <= 1000) || mismatched != Math.rint(mismatched)) {
                    throw new IllegalArgumentException("config.bioimageio.reproducibility_tolerance:"
                            + " mismatched_elements_per_million must be a whole number within 0..1000 but is " + mismatched);
                }
                return new Reproducibility(rtol, atol, (int) mismatched);
            }
        }
        return this;
    }

    private static boolean applies(Object listed, String name) {
        return !(listed instanceof java.util.List<?> l) || l.isEmpty() || l.stream().anyMatch(x -> name.equals(String.valueOf(x)));
    }

    private static double number(java.util.Map<?, ?> e, String key, double otherwise) {
        Object v = e.get(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("config.bioimageio.reproducibility_tolerance: " + key
                + " must be a number but is '" + v + "'");
    }

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
