package org.zooscope.core.process;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.zooscope.core.volume.Volume;

/**
 * A chain of bioimage.io pre- or postprocessing steps. {@link #bind(Volume)} computes, once, every statistic the chain
 * needs (for each data-dependent step, over the data as transformed by the steps before it, over the whole volume or
 * per plane as the step's {@link StatsScope} says); the resulting {@link Bound} then transforms any plane or tile
 * with those fixed statistics, so the result never depends on tiling.
 *
 * <pre>{@code
 * Processing pre = Processing.fromSpec(descriptor.inputs().get(0).preprocessing());
 * Processing.Bound b = pre.bind(volume);          // two passes over the volume if percentiles are needed
 * b.apply(z, tile, 0, frames, tileW * tileH);     // per tile, any thread
 * }</pre>
 *
 * <p>Immutable; {@link Bound} is immutable and thread-safe.
 */
public final class Processing {

    private final List<ProcessingOp> ops;

    private Processing(List<ProcessingOp> ops) {
        this.ops = List.copyOf(ops);
    }

    public static Processing of(List<ProcessingOp> ops) {
        return new Processing(Objects.requireNonNull(ops, "ops"));
    }

    public static Processing of(ProcessingOp... ops) {
        return new Processing(List.of(ops));
    }

    public List<ProcessingOp> ops() {
        return ops;
    }

    /**
     * Parses the {@code preprocessing} / {@code postprocessing} list of a bioimage.io model RDF (0.5 {@code id}, or
     * 0.4 {@code name}, plus {@code kwargs}), as Jackson/SnakeYAML maps.
     *
     * @throws ProcessingSpecException for an unknown step, missing kwargs, or a reference tensor
     */
    public static Processing fromSpec(List<? extends Map<String, ?>> steps) {
        List<ProcessingOp> ops = new ArrayList<>();
        if (steps != null) {
            for (Map<String, ?> step : steps) {
                ops.add(parse(step));
            }
        }
        return new Processing(ops);
    }

    @SuppressWarnings("unchecked")
    private static ProcessingOp parse(Map<String, ?> step) {
        Object idObj = step.containsKey("id") ? step.get("id") : step.get("name");
        if (idObj == null) {
            throw new ProcessingSpecException("?", step, "a step needs an 'id' (or 0.4 'name')");
        }
        String id = idObj.toString();
        Object kw = step.get("kwargs");
        Map<String, ?> k = kw instanceof Map<?, ?> m ? (Map<String, ?>) m : Map.of();
        StatsScope scope = scope(id, k);
        double eps = number(id, k, "eps", 1e-6);
        return switch (id) {
            case "scale_range" -> {
                if (k.get("reference_tensor") != null) {
                    throw new ProcessingSpecException(id, k.get("reference_tensor"),
                            "statistics of another tensor are not supported");
                }
                yield new ProcessingOp.ScaleRange(number(id, k, "min_percentile", 0), number(id, k,
                        "max_percentile", 100), eps, scope);
            }
            case "zero_mean_unit_variance" -> {
                if ("fixed".equals(k.get("mode")) || k.get("mean") != null) {
                    yield new ProcessingOp.FixedZeroMeanUnitVariance(numbers(id, k, "mean"), numbers(id, k, "std"),
                            eps);
                }
                yield new ProcessingOp.ZeroMeanUnitVariance(eps, scope);
            }
            case "fixed_zero_mean_unit_variance" -> new ProcessingOp.FixedZeroMeanUnitVariance(numbers(id, k, "mean"),
                    numbers(id, k, "std"), eps);
            case "scale_linear" -> new ProcessingOp.ScaleLinear(
                    k.containsKey("gain") ? numbers(id, k, "gain") : new double[] {1},
                    k.containsKey("offset") ? numbers(id, k, "offset") : new double[] {0});
            case "clip" -> new ProcessingOp.Clip(number(id, k, "min", Double.NaN), number(id, k, "max", Double.NaN),
                    k.get("min_percentile") == null ? null : number(id, k, "min_percentile", 0),
                    k.get("max_percentile") == null ? null : number(id, k, "max_percentile", 100), scope);
            case "binarize" -> new ProcessingOp.Binarize(numbers(id, k, "threshold"));
            case "sigmoid" -> new ProcessingOp.Sigmoid();
            case "softmax" -> {
                Object axis = k.get("axis");
                if (axis != null && !"channel".equals(axis) && !"c".equals(axis)) {
                    throw new ProcessingSpecException(id, axis, "softmax is supported along the channel axis only");
                }
                yield new ProcessingOp.Softmax();
            }
            case "ensure_dtype" -> {
                Object d = k.get("dtype");
                if (d == null) {
                    throw new ProcessingSpecException(id, null, "kwargs.dtype is required");
                }
                try {
                    yield new ProcessingOp.EnsureDtype(d.toString());
                } catch (IllegalArgumentException e) {
                    throw new ProcessingSpecException(id, d, e.getMessage());
                }
            }
            case "scale_mean_variance" -> throw new ProcessingSpecException(id, k.get("reference_tensor"),
                    "needs the reference tensor's statistics; construct ProcessingOp.ScaleMeanVariance directly");
            default -> throw new ProcessingSpecException(id, id, "unknown processing step");
        };
    }

    private static StatsScope scope(String id, Map<String, ?> k) {
        Object mode = k.get("mode");
        if ("per_dataset".equals(mode)) {
            return StatsScope.VOLUME;
        }
        Object axes = k.get("axes");
        if (axes == null) {
            return StatsScope.VOLUME;
        }
        List<String> names = new ArrayList<>();
        if (axes instanceof Collection<?> c) {
            for (Object o : c) {
                names.add(o.toString());
            }
        } else {
            for (char ch : axes.toString().toLowerCase(Locale.ROOT).toCharArray()) {
                names.add(String.valueOf(ch));
            }
        }
        return StatsScope.fromAxes(names);
    }

    private static double number(String id, Map<String, ?> k, String key, double dflt) {
        Object o = k.get(key);
        if (o == null) {
            return dflt;
        }
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(o.toString());
        } catch (NumberFormatException e) {
            throw new ProcessingSpecException(id, o, "kwargs." + key + " is not a number");
        }
    }

    private static double[] numbers(String id, Map<String, ?> k, String key) {
        Object o = k.get(key);
        if (o == null) {
            throw new ProcessingSpecException(id, null, "kwargs." + key + " is required");
        }
        if (o instanceof Collection<?> c) {
            double[] d = new double[c.size()];
            int i = 0;
            for (Object e : c) {
                if (!(e instanceof Number n)) {
                    throw new ProcessingSpecException(id, e, "kwargs." + key + " must hold numbers");
                }
                d[i++] = n.doubleValue();
            }
            if (d.length == 0) {
                throw new ProcessingSpecException(id, o, "kwargs." + key + " must not be empty");
            }
            return d;
        }
        return new double[] {number(id, k, key, Double.NaN)};
    }

    /**
     * Computes the statistics every step needs over {@code v} (its samples as the steps before each see them).
     */
    public Bound bind(Volume v) {
        int depth = v.depth();
        VolumeStatistics[][] stats = new VolumeStatistics[ops.size()][];
        for (int i = 0; i < ops.size(); i++) {
            ProcessingOp op = ops.get(i);
            if (op.percentiles().isEmpty() && !op.needsMoments()) {
                continue;
            }
            Bound before = new Bound(ops.subList(0, i), copyOf(stats, i), depth);
            TreeSet<Double> ps = new TreeSet<>(op.percentiles());
            int n = v.planeSize();
            if (op.scope() == StatsScope.VOLUME) {
                float[] buf = new float[n];
                VolumeStatistics s = VolumeStatistics.of(depth, z -> {
                    v.copyPlane(z, buf);
                    before.apply(z, buf, 0, 1, n);
                    return buf;
                }, n, ps);
                stats[i] = new VolumeStatistics[] {s};
            } else {
                stats[i] = new VolumeStatistics[depth];
                float[] buf = new float[n];
                for (int z = 0; z < depth; z++) {
                    v.copyPlane(z, buf);
                    before.apply(z, buf, 0, 1, n);
                    stats[i][z] = VolumeStatistics.ofPlane(buf, n, ps);
                }
            }
        }
        return new Bound(ops, stats, depth);
    }

    /** Binds with statistics computed elsewhere (e.g. from a larger volume), used for every plane. */
    public Bound bind(VolumeStatistics whole, int depth) {
        VolumeStatistics[][] stats = new VolumeStatistics[ops.size()][];
        for (int i = 0; i < ops.size(); i++) {
            stats[i] = new VolumeStatistics[] {whole};
        }
        return new Bound(ops, stats, depth);
    }

    private static VolumeStatistics[][] copyOf(VolumeStatistics[][] s, int n) {
        VolumeStatistics[][] c = new VolumeStatistics[n][];
        System.arraycopy(s, 0, c, 0, n);
        return c;
    }

    /** A chain with its statistics fixed. Immutable and thread-safe. */
    public static final class Bound {
        private final List<ProcessingOp> ops;
        private final VolumeStatistics[][] stats;
        private final int depth;

        Bound(List<ProcessingOp> ops, VolumeStatistics[][] stats, int depth) {
            this.ops = List.copyOf(ops);
            this.stats = stats;
            this.depth = depth;
        }

        /** The statistics step {@code op} uses for plane {@code z} (null for a step without statistics). */
        public VolumeStatistics statistics(int op, int z) {
            VolumeStatistics[] s = stats[op];
            if (s == null) {
                return null;
            }
            return s.length == 1 ? s[0] : s[z];
        }

        /**
         * Transforms, in place, {@code channels} blocks of {@code n} samples at {@code offset} ({@code [c][n]}) that
         * belong to plane {@code z} (for per-plane statistics; with 2.5D inputs, the output plane).
         */
        public void apply(int z, float[] data, int offset, int channels, int n) {
            Objects.checkIndex(z, depth);
            for (int i = 0; i < ops.size(); i++) {
                ProcessingOp op = ops.get(i);
                if (op instanceof ProcessingOp.Softmax) {
                    ProcessingOp.Softmax.applyChannels(data, offset, channels, n);
                    continue;
                }
                VolumeStatistics s = statistics(i, z);
                for (int c = 0; c < channels; c++) {
                    ProcessingOp.SampleFunction f = op.kernel(s, c);
                    int base = offset + c * n;
                    for (int j = 0; j < n; j++) {
                        data[base + j] = f.apply(data[base + j]);
                    }
                }
            }
        }
    }
}
