package org.zooscope.jobstream.plan;

import java.util.List;
import java.util.Map;
import org.zooscope.core.events.InputTransform;
import org.zooscope.core.events.SliceStats;
import org.zooscope.core.modelpkg.ModelDescription;

/**
 * Resolves a model's declared bioimage.io preprocessing into one {@link InputTransform}, using statistics of the
 * whole volume (never of a tile), so that every tile of a job is normalised the same way. Statistics are carried
 * through each op: a linear op maps the mean, std and percentiles exactly.
 */
public final class PreprocessingResolver {
    private PreprocessingResolver() {
    }

    public static InputTransform resolve(List<ModelDescription.Op> ops, SliceStats stats) {
        InputTransform t = InputTransform.IDENTITY;
        for (int i = 0; i < ops.size(); i++) {
            ModelDescription.Op op = ops.get(i);
            Map<String, Object> kw = op.kwargs();
            InputTransform next = switch (op.id() == null ? "" : op.id()) {
                case "ensure_dtype" -> InputTransform.IDENTITY;
                case "scale_linear" -> new InputTransform(number(kw, "gain", 1), number(kw, "offset", 0), null, null);
                case "scale_range" -> {
                    double lo = map(t, stats.percentile(number(kw, "min_percentile", 0)));
                    double hi = map(t, stats.percentile(number(kw, "max_percentile", 100)));
                    double eps = number(kw, "eps", 1e-6);
                    double gain = 1.0 / (hi - lo + eps);
                    yield new InputTransform(gain, -lo * gain, null, null);
                }
                case "zero_mean_unit_variance" -> {
                    double mean = map(t, stats.mean());
                    double std = Math.abs(t.gain()) * stats.std();
                    double gain = 1.0 / (std + number(kw, "eps", 1e-6));
                    yield new InputTransform(gain, -mean * gain, null, null);
                }
                case "fixed_zero_mean_unit_variance" -> {
                    double gain = 1.0 / (number(kw, "std", 1) + number(kw, "eps", 1e-6));
                    yield new InputTransform(gain, -number(kw, "mean", 0) * gain, null, null);
                }
                case "clip" -> {
                    if (i != ops.size() - 1) {
                        throw new UnsupportedPreprocessingException("clip is supported only as the last preprocessing op");
                    }
                    yield new InputTransform(1, 0, nullableNumber(kw, "min"), nullableNumber(kw, "max"));
                }
                default -> throw new UnsupportedPreprocessingException(
                        "the model's preprocessing op '" + op.id() + "' is not supported on inputs");
            };
            t = t.andThen(next);
        }
        return t;
    }

    private static double map(InputTransform t, double v) {
        return v * t.gain() + t.offset();
    }

    private static double number(Map<String, Object> kw, String key, double fallback) {
        Double v = nullableNumber(kw, key);
        return v == null ? fallback : v;
    }

    private static Double nullableNumber(Map<String, Object> kw, String key) {
        Object v = kw.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Number n) {
            return n.doubleValue();
        }
        return null;
    }

    /** A model declares an op Zooscope cannot apply: the job fails with this reason. */
    public static final class UnsupportedPreprocessingException extends RuntimeException {
        public UnsupportedPreprocessingException(String message) {
            super(message);
        }
    }
}
