package org.zooscope.core.modelpkg.check;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.NpyArray;

/**
 * bioimage.io's reproducibility rule for a test run: an element mismatches when
 * {@code |actual - expected| > atol + rtol * |expected|}, and at most {@code mismatchedPerMillion} elements per million
 * may mismatch (rtol and atol 1e-3, 100 per million, unless the package says otherwise: {@link #of}).
 */
public record Reproducibility(double rtol, double atol, int mismatchedPerMillion) {
    public static final Reproducibility BIOIMAGEIO = new Reproducibility(1e-3, 1e-3, 100);
    /** The spec's ceilings: a package may loosen the defaults only this far. */
    static final double MAX_RTOL = 0.01;
    static final int MAX_MISMATCHED_PER_MILLION = 1000;

    /**
     * The tolerance a package declares for its ONNX output (format 0.5.4+: the first entry of
     * {@code config.bioimageio.reproducibility_tolerance} whose {@code output_ids} and {@code weights_formats} are empty
     * or name it; unset fields take the spec's defaults), else {@code fallback}. A value out of the spec's bounds is a
     * problem, and the fallback is used.
     */
    public static Reproducibility of(ModelDescription d, Reproducibility fallback, List<String> problems) {
        Object bioimageio = d.config() == null ? null : d.config().get("bioimageio");
        Object entries = bioimageio instanceof Map<?, ?> m ? m.get("reproducibility_tolerance") : null;
        if (!(entries instanceof List<?> list)) {
            return fallback;
        }
        for (Object e : list) {
            if (e instanceof Map<?, ?> entry && names(entry.get("output_ids"), d.outputName())
                    && names(entry.get("weights_formats"), "onnx")) {
                return bounded(entry, problems).orElse(fallback);
            }
        }
        return fallback;
    }

    private static java.util.Optional<Reproducibility> bounded(Map<?, ?> entry, List<String> problems) {
        double rtol = number(entry.get("relative_tolerance"), BIOIMAGEIO.rtol());
        double atol = number(entry.get("absolute_tolerance"), BIOIMAGEIO.atol());
        double perMillion = number(entry.get("mismatched_elements_per_million"), BIOIMAGEIO.mismatchedPerMillion());
        int before = problems.size();
        if (!(rtol >= 0 && rtol <= MAX_RTOL)) {
            problems.add("config.bioimageio.reproducibility_tolerance: relative_tolerance " + rtol
                    + " is outside 0.." + MAX_RTOL);
        }
        if (!(atol >= 0) || Double.isInfinite(atol)) {
            problems.add("config.bioimageio.reproducibility_tolerance: absolute_tolerance " + atol
                    + " must be a finite number >= 0");
        }
        if (!(perMillion >= 0 && perMillion <= MAX_MISMATCHED_PER_MILLION) || perMillion != Math.rint(perMillion)) {
            problems.add("config.bioimageio.reproducibility_tolerance: mismatched_elements_per_million " + perMillion
                    + " must be a whole number in 0.." + MAX_MISMATCHED_PER_MILLION);
        }
        return problems.size() > before ? java.util.Optional.empty()
                : java.util.Optional.of(new Reproducibility(rtol, atol, (int) perMillion));
    }

    /** An absent or empty list names everything. */
    private static boolean names(Object list, String name) {
        return !(list instanceof List<?> l) || l.isEmpty() || l.stream().anyMatch(x -> String.valueOf(x).equals(name));
    }

    private static double number(Object v, double fallback) {
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().strip());
        } catch (NumberFormatException e) {
            return Double.NaN; // reported as out of bounds by the caller
        }
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
