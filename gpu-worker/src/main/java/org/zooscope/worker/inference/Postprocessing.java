package org.zooscope.worker.inference;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.zooscope.core.modelpkg.ModelDescription;

/**
 * The model's declared output ops (bioimage.io 0.5 names), applied to the raw ONNX output before anything else sees
 * it, so that the worker's probabilities are what the package's test output shows. Only ops that act on each value
 * alone are supported: an op whose statistics come from the output (scale_range, zero_mean_unit_variance) would make
 * a tile's probabilities depend on the tile, which stitching cannot hide.
 */
public final class Postprocessing {
    static final Set<String> SUPPORTED = Set.of("ensure_dtype", "sigmoid", "scale_linear", "clip", "binarize");
    private static final Set<String> FLOAT_TYPES = Set.of("float32", "float64");

    private Postprocessing() {
    }

    /** Why the ops cannot be applied, or null when they can. */
    public static String problem(List<ModelDescription.Op> ops) {
        for (ModelDescription.Op op : ops) {
            String id = op.id() == null ? "" : op.id();
            if (!SUPPORTED.contains(id)) {
                return "postprocessing op '" + id + "' is not supported (supported: " + String.join(", ", SUPPORTED.stream().sorted().toList()) + ")";
            }
            if (id.equals("ensure_dtype")) {
                Object dtype = op.kwargs().get("dtype");
                if (dtype != null && !FLOAT_TYPES.contains(String.valueOf(dtype).toLowerCase(Locale.ROOT))) {
                    return "postprocessing ensure_dtype to " + dtype + " would quantise probabilities; only float32/float64 outputs are supported";
                }
            }
            if (id.equals("scale_linear") && (op.kwargs().get("gain") instanceof List<?> || op.kwargs().get("offset") instanceof List<?>)) {
                Object axis = op.kwargs().get("axis");
                if (axis != null && !"channel".equals(String.valueOf(axis)) && !"c".equals(String.valueOf(axis))) {
                    return "postprocessing scale_linear along axis " + axis + " is not supported (only per channel)";
                }
            }
        }
        return null;
    }

    /** Applies {@code ops} in place to an output {@code [n][c][h][w]}. */
    public static void apply(List<ModelDescription.Op> ops, TileOutput out) {
        float[] d = out.data();
        int plane = out.height() * out.width();
        for (ModelDescription.Op op : ops) {
            Map<String, Object> kw = op.kwargs();
            switch (op.id()) {
                case "sigmoid" -> {
                    for (int i = 0; i < d.length; i++) {
                        d[i] = (float) (1.0 / (1.0 + Math.exp(-d[i])));
                    }
                }
                case "scale_linear" -> {
                    for (int n = 0; n < out.batch(); n++) {
                        for (int c = 0; c < out.channels(); c++) {
                            float g = (float) perChannel(kw.get("gain"), c, 1);
                            float o = (float) perChannel(kw.get("offset"), c, 0);
                            int from = (n * out.channels() + c) * plane;
                            for (int i = from; i < from + plane; i++) {
                                d[i] = d[i] * g + o;
                            }
                        }
                    }
                }
                case "clip" -> {
                    float lo = (float) number(kw.get("min"), Double.NEGATIVE_INFINITY);
                    float hi = (float) number(kw.get("max"), Double.POSITIVE_INFINITY);
                    for (int i = 0; i < d.length; i++) {
                        d[i] = Math.min(hi, Math.max(lo, d[i]));
                    }
                }
                case "binarize" -> {
                    float t = (float) number(kw.get("threshold"), 0.5);
                    for (int i = 0; i < d.length; i++) {
                        d[i] = d[i] > t ? 1f : 0f;
                    }
                }
                default -> {
                    // ensure_dtype to a float type: the values are float32 already
                }
            }
        }
    }

    private static double perChannel(Object v, int channel, double fallback) {
        if (v instanceof List<?> l) {
            return l.isEmpty() ? fallback : number(l.get(Math.min(channel, l.size() - 1)), fallback);
        }
        return number(v, fallback);
    }

    private static double number(Object v, double fallback) {
        return v instanceof Number n ? n.doubleValue() : fallback;
    }
}
