package org.zooscope.core.modelpkg.check;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.zooscope.core.modelpkg.ModelDescription.Op;
import org.zooscope.core.modelpkg.NpyArray;

/**
 * bioimage.io pre- and postprocessing ops on a {@code [batch, channel, y, x]} tensor, with statistics computed over the
 * tensor itself, as bioimage.io's test run does: {@code per_sample} and {@code per_dataset} statistics both come from
 * the test tensor (the only sample there is). The reduction axes decide whether statistics are per channel: when the
 * op's {@code axes} leave out the channel axis ({@code [y, x]} in 0.5, {@code "xy"} in 0.4) each channel gets its own.
 */
public final class Processing {
    private Processing() {
    }

    /** An op Zooscope cannot apply; the package is rejected with this reason. */
    public static final class UnsupportedOpException extends Exception {
        public UnsupportedOpException(String message) {
            super(message);
        }
    }

    public static NpyArray apply(List<Op> ops, NpyArray tensor) throws UnsupportedOpException {
        NpyArray t = tensor;
        for (Op op : ops) {
            t = apply(op, t);
        }
        return t;
    }

    static NpyArray apply(Op op, NpyArray t) throws UnsupportedOpException {
        if (t.shape().length != 4) {
            throw new UnsupportedOpException("processing needs a [batch, channel, y, x] tensor but got " + Arrays.toString(t.shape()));
        }
        Map<String, Object> kw = op.kwargs();
        String id = op.id() == null ? "" : op.id();
        if ("zero_mean_unit_variance".equals(id) && "fixed".equals(kw.get("mode"))) {
            id = "fixed_zero_mean_unit_variance";
        }
        int channels = (int) t.shape()[1];
        boolean perChannel = perChannel(kw);
        float[] x = t.data().clone();
        switch (id) {
            case "ensure_dtype" -> ensureDtype(x, String.valueOf(kw.getOrDefault("dtype", "float32")));
            case "scale_linear" -> {
                double[] gain = perChannelValues(kw.get("gain"), channels, 1);
                double[] offset = perChannelValues(kw.get("offset"), channels, 0);
                forEachChannel(t, (c, i) -> x[i] = (float) (x[i] * gain[c] + offset[c]));
            }
            case "fixed_zero_mean_unit_variance" -> {
                double[] mean = perChannelValues(kw.get("mean"), channels, 0);
                double[] std = perChannelValues(kw.get("std"), channels, 1);
                double eps = number(kw, "eps", 1e-6);
                forEachChannel(t, (c, i) -> x[i] = (float) ((x[i] - mean[c]) / (std[c] + eps)));
            }
            case "zero_mean_unit_variance" -> {
                checkReference(kw);
                double eps = number(kw, "eps", 1e-6);
                double[][] stats = new double[channels][];
                for (int c = 0; c < channels; c++) {
                    stats[c] = meanStd(values(t, perChannel ? c : -1));
                }
                forEachChannel(t, (c, i) -> x[i] = (float) ((x[i] - stats[c][0]) / (stats[c][1] + eps)));
            }
            case "scale_range" -> {
                checkReference(kw);
                double eps = number(kw, "eps", 1e-6);
                double lowQ = number(kw, "min_percentile", 0);
                double highQ = number(kw, "max_percentile", 100);
                double[] lo = new double[channels];
                double[] hi = new double[channels];
                for (int c = 0; c < channels; c++) {
                    double[] v = values(t, perChannel ? c : -1);
                    Arrays.sort(v);
                    lo[c] = percentile(v, lowQ);
                    hi[c] = percentile(v, highQ);
                }
                forEachChannel(t, (c, i) -> x[i] = (float) ((x[i] - lo[c]) / (hi[c] - lo[c] + eps)));
            }
            case "clip" -> {
                double min = number(kw, "min", Double.NEGATIVE_INFINITY);
                double max = number(kw, "max", Double.POSITIVE_INFINITY);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) Math.min(max, Math.max(min, x[i]));
                }
            }
            case "sigmoid" -> {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
                }
            }
            case "binarize" -> {
                double[] threshold = perChannelValues(kw.get("threshold"), channels, 0.5);
                forEachChannel(t, (c, i) -> x[i] = x[i] > threshold[c] ? 1f : 0f);
            }
            case "softmax" -> softmaxOverChannels(t, x);
            default -> throw new UnsupportedOpException("processing op '" + op.id() + "' is not supported by Zooscope");
        }
        return new NpyArray(t.shape(), x);
    }

    /** Statistics per channel unless the op reduces over the channel axis too (absent axes: over everything). */
    private static boolean perChannel(Map<String, Object> kw) {
        Object axes = kw.get("axes");
        if (axes == null) {
            return false;
        }
        if (axes instanceof String s) {
            return !s.contains("c");
        }
        if (axes instanceof List<?> l) {
            return !(l.contains("channel") || l.contains("c"));
        }
        return false;
    }

    private static void checkReference(Map<String, Object> kw) throws UnsupportedOpException {
        if (kw.get("reference_tensor") != null) {
            throw new UnsupportedOpException("statistics of a reference_tensor are not supported (single-input models only)");
        }
    }

    private interface ChannelVisitor {
        void visit(int channel, int index);
    }

    private static void forEachChannel(NpyArray t, ChannelVisitor v) {
        long[] s = t.shape();
        int channels = (int) s[1];
        int plane = (int) (s[2] * s[3]);
        for (int b = 0; b < s[0]; b++) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * plane;
                for (int i = 0; i < plane; i++) {
                    v.visit(c, base + i);
                }
            }
        }
    }

    /** The values of one channel (all batches), or of the whole tensor for channel -1. */
    private static double[] values(NpyArray t, int channel) {
        float[] d = t.data();
        if (channel < 0) {
            double[] all = new double[d.length];
            for (int i = 0; i < d.length; i++) {
                all[i] = d[i];
            }
            return all;
        }
        long[] s = t.shape();
        int channels = (int) s[1];
        int plane = (int) (s[2] * s[3]);
        double[] out = new double[(int) s[0] * plane];
        int k = 0;
        for (int b = 0; b < s[0]; b++) {
            int base = (b * channels + channel) * plane;
            for (int i = 0; i < plane; i++) {
                out[k++] = d[base + i];
            }
        }
        return out;
    }

    private static double[] meanStd(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / v.length;
        double sq = 0;
        for (double x : v) {
            sq += (x - mean) * (x - mean);
        }
        return new double[] {mean, Math.sqrt(sq / v.length)};
    }

    /** NumPy's default ("linear") percentile of sorted values. */
    static double percentile(double[] sorted, double q) {
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    private static void softmaxOverChannels(NpyArray t, float[] x) {
        long[] s = t.shape();
        int channels = (int) s[1];
        int plane = (int) (s[2] * s[3]);
        for (int b = 0; b < s[0]; b++) {
            for (int i = 0; i < plane; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < channels; c++) {
                    max = Math.max(max, x[(b * channels + c) * plane + i]);
                }
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += Math.exp(x[(b * channels + c) * plane + i] - max);
                }
                for (int c = 0; c < channels; c++) {
                    int k = (b * channels + c) * plane + i;
                    x[k] = (float) (Math.exp(x[k] - max) / sum);
                }
            }
        }
    }

    private static void ensureDtype(float[] x, String dtype) throws UnsupportedOpException {
        double[] range = switch (dtype) {
            case "float32", "float64" -> null;
            case "uint8" -> new double[] {0, 255};
            case "uint16" -> new double[] {0, 65535};
            case "int8" -> new double[] {-128, 127};
            case "int16" -> new double[] {-32768, 32767};
            case "int32" -> new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case "bool" -> new double[] {0, 1};
            default -> throw new UnsupportedOpException("ensure_dtype to '" + dtype + "' is not supported");
        };
        if (range != null) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.min(range[1], Math.max(range[0], (long) x[i]));
            }
        }
    }

    private static double[] perChannelValues(Object raw, int channels, double fallback) throws UnsupportedOpException {
        double[] out = new double[channels];
        if (raw instanceof List<?> l) {
            if (l.size() != 1 && l.size() != channels) {
                throw new UnsupportedOpException("a per-channel value list has " + l.size() + " entries for " + channels + " channels");
            }
            for (int c = 0; c < channels; c++) {
                Object v = l.get(l.size() == 1 ? 0 : c);
                out[c] = v instanceof Number n ? n.doubleValue() : fallback;
            }
        } else {
            Arrays.fill(out, raw instanceof Number n ? n.doubleValue() : fallback);
        }
        return out;
    }

    private static double number(Map<String, Object> kw, String key, double fallback) {
        Object v = kw.get(key);
        return v instanceof Number n ? n.doubleValue() : fallback;
    }
}
