package org.zooscope.worker.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.zooscope.core.modelpkg.ModelDescription;

/**
 * A package's declared preprocessing applied to one whole tensor {@code [batch][channel][y][x]} with bioimage.io's
 * semantics: statistics are computed over the tensor itself, jointly over the op's {@code axes} (all axes when it
 * names none) and separately for each combination of the others; percentiles interpolate linearly (numpy's
 * default). This is how bioimage.io checks a package's test tensors; in a job, job-stream resolves the same ops with
 * whole-volume statistics instead (see {@link org.zooscope.core.events.InputTransform}).
 */
public final class TensorPreprocessing {
    private static final List<String> AXES = List.of("batch", "channel", "y", "x");

    private TensorPreprocessing() {
    }

    /** Applies {@code ops} in place to {@code data} of shape {@code [b, c, h, w]}. */
    public static void apply(List<ModelDescription.Op> ops, float[] data, int[] shape) {
        if (shape.length != 4 || (long) shape[0] * shape[1] * shape[2] * shape[3] != data.length) {
            throw new IllegalArgumentException("tensor of " + data.length + " values is not " + Arrays.toString(shape));
        }
        for (ModelDescription.Op op : ops) {
            Map<String, Object> kw = op.kwargs();
            switch (op.id() == null ? "" : op.id()) {
                case "ensure_dtype" -> {
                    // values are float32 already; an integer dtype is not what any image model is fed
                }
                case "scale_linear" -> scaleLinear(data, shape, kw.get("gain"), kw.get("offset"));
                case "fixed_zero_mean_unit_variance" -> fixedZeroMean(data, shape, kw);
                case "zero_mean_unit_variance" -> {
                    if ("fixed".equals(kw.get("mode"))) {
                        fixedZeroMean(data, shape, kw);
                    } else {
                        double eps = number(kw.get("eps"), 1e-6);
                        forEachGroup(data, shape, reduced(kw), idx -> {
                            double sum = 0;
                            for (int i : idx) {
                                sum += data[i];
                            }
                            double mean = sum / idx.length;
                            double sq = 0;
                            for (int i : idx) {
                                sq += (data[i] - mean) * (data[i] - mean);
                            }
                            double std = Math.sqrt(sq / idx.length);
                            for (int i : idx) {
                                data[i] = (float) ((data[i] - mean) / (std + eps));
                            }
                        });
                    }
                }
                case "scale_range" -> {
                    if (kw.get("reference_tensor") != null) {
                        throw new IllegalArgumentException("scale_range with a reference tensor is not supported");
                    }
                    double pLo = number(kw.get("min_percentile"), 0);
                    double pHi = number(kw.get("max_percentile"), 100);
                    double eps = number(kw.get("eps"), 1e-6);
                    forEachGroup(data, shape, reduced(kw), idx -> {
                        double[] v = new double[idx.length];
                        for (int k = 0; k < idx.length; k++) {
                            v[k] = data[idx[k]];
                        }
                        Arrays.sort(v);
                        double lo = percentile(v, pLo);
                        double hi = percentile(v, pHi);
                        for (int i : idx) {
                            data[i] = (float) ((data[i] - lo) / (hi - lo + eps));
                        }
                    });
                }
                case "clip" -> {
                    float lo = (float) number(kw.get("min"), Double.NEGATIVE_INFINITY);
                    float hi = (float) number(kw.get("max"), Double.POSITIVE_INFINITY);
                    for (int i = 0; i < data.length; i++) {
                        data[i] = Math.min(hi, Math.max(lo, data[i]));
                    }
                }
                case "sigmoid" -> {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) (1.0 / (1.0 + Math.exp(-data[i])));
                    }
                }
                case "binarize" -> {
                    float t = (float) number(kw.get("threshold"), 0.5);
                    for (int i = 0; i < data.length; i++) {
                        data[i] = data[i] > t ? 1f : 0f;
                    }
                }
                default -> throw new IllegalArgumentException("preprocessing op '" + op.id() + "' is not supported");
            }
        }
    }

    /** numpy's {@code percentile(v, p)} (linear interpolation) of sorted values. */
    public static double percentile(double[] sorted, double p) {
        double pos = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static void fixedZeroMean(float[] data, int[] shape, Map<String, Object> kw) {
        double eps = number(kw.get("eps"), 1e-6);
        int plane = shape[2] * shape[3];
        for (int b = 0; b < shape[0]; b++) {
            for (int c = 0; c < shape[1]; c++) {
                double mean = element(kw.get("mean"), c, 0);
                double std = element(kw.get("std"), c, 1);
                int from = (b * shape[1] + c) * plane;
                for (int i = from; i < from + plane; i++) {
                    data[i] = (float) ((data[i] - mean) / (std + eps));
                }
            }
        }
    }

    private static void scaleLinear(float[] data, int[] shape, Object gain, Object offset) {
        int plane = shape[2] * shape[3];
        for (int b = 0; b < shape[0]; b++) {
            for (int c = 0; c < shape[1]; c++) {
                double g = element(gain, c, 1);
                double o = element(offset, c, 0);
                int from = (b * shape[1] + c) * plane;
                for (int i = from; i < from + plane; i++) {
                    data[i] = (float) (data[i] * g + o);
                }
            }
        }
    }

    /** Which of the 4 axes an op reduces over: its {@code axes} (0.5 names or a 0.4 letter string), else all. */
    static boolean[] reduced(Map<String, Object> kw) {
        Object axes = kw.get("axes");
        boolean[] r = new boolean[4];
        if (axes == null) {
            Arrays.fill(r, true);
            return r;
        }
        List<String> names = new ArrayList<>();
        if (axes instanceof List<?> l) {
            l.forEach(a -> names.add(String.valueOf(a).toLowerCase(Locale.ROOT)));
        } else {
            for (char ch : String.valueOf(axes).toLowerCase(Locale.ROOT).toCharArray()) {
                names.add(switch (ch) {
                    case 'b' -> "batch";
                    case 'c' -> "channel";
                    default -> String.valueOf(ch);
                });
            }
        }
        for (String n : names) {
            int i = AXES.indexOf(n.equals("i") ? "channel" : n);
            if (i < 0) {
                throw new IllegalArgumentException("axis '" + n + "' is not one of " + AXES);
            }
            r[i] = true;
        }
        return r;
    }

    /** Calls {@code body} with the flat indices of each group of values that share the non-reduced coordinates. */
    private static void forEachGroup(float[] data, int[] shape, boolean[] reduce, java.util.function.Consumer<int[]> body) {
        int[] keep = new int[4];
        int groups = 1;
        int perGroup = 1;
        for (int a = 0; a < 4; a++) {
            keep[a] = reduce[a] ? 1 : shape[a];
            groups *= keep[a];
            perGroup *= reduce[a] ? shape[a] : 1;
        }
        int[][] members = new int[groups][perGroup];
        int[] fill = new int[groups];
        int i = 0;
        for (int b = 0; b < shape[0]; b++) {
            for (int c = 0; c < shape[1]; c++) {
                for (int y = 0; y < shape[2]; y++) {
                    for (int x = 0; x < shape[3]; x++, i++) {
                        int g = (((reduce[0] ? 0 : b) * keep[1] + (reduce[1] ? 0 : c)) * keep[2] + (reduce[2] ? 0 : y))
                                * keep[3] + (reduce[3] ? 0 : x);
                        members[g][fill[g]++] = i;
                    }
                }
            }
        }
        for (int[] m : members) {
            body.accept(m);
        }
    }

    private static double element(Object v, int index, double fallback) {
        if (v instanceof List<?> l) {
            return l.isEmpty() ? fallback : number(l.get(Math.min(index, l.size() - 1)), fallback);
        }
        return number(v, fallback);
    }

    private static double number(Object v, double fallback) {
        return v instanceof Number n ? n.doubleValue() : fallback;
    }
}
