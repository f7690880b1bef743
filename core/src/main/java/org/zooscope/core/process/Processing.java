package org.zooscope.core.process;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.zooscope.core.modelpkg.ModelDescription;
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

    /** The ops a model description declares ({@code preprocessing} or {@code postprocessing}), parsed once. */
    public static Processing fromDescription(List<ModelDescription.Op> ops) {
        List<Map<String, ?>> steps = new ArrayList<>();
        for (ModelDescription.Op op : ops) {
            Map<String, Object> step = new HashMap<>();
            step.put("id", op.id());
            step.put("kwargs", op.kwargs() == null ? Map.of() : op.kwargs());
            steps.add(step);
        }
        return fromSpec(steps);
    }

    /** Every percentile any step needs. */
    public Set<Double> percentiles() {
        Set<Double> ps = new TreeSet<>();
        ops.forEach(op -> ps.addAll(op.percentiles()));
        return ps;
    }

    /** Whether any step computes statistics of the data it sees. */
    public boolean needsStatistics() {
        return ops.stream().anyMatch(op -> !op.percentiles().isEmpty() || op.needsMoments());
    }

    /**
     * Refuses a chain that needs statistics of its own data, e.g. postprocessing that normalises a model's output:
     * applied tile by tile such a step would give every tile a different mapping, and no stitching hides that.
     *
     * @throws ProcessingSpecException naming the first such step
     */
    public Processing requireStatisticsFree(String what) {
        for (ProcessingOp op : ops) {
            if (!op.percentiles().isEmpty() || op.needsMoments()) {
                throw new ProcessingSpecException(op.id(), what, "needs statistics of the data it sees; as " + what
                        + " they would differ from tile to tile");
            }
        }
        return this;
    }

    /** The chain bound to no statistics; only for a {@link #requireStatisticsFree statistics-free} chain. */
    public Bound bindFixed() {
        requireStatisticsFree("this chain");
        return new Bound(ops, new SampleStatistics[ops.size()][], 1);
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
                            "a reference_tensor's statistics are not supported (one-input models only)");
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
            default -> throw new ProcessingSpecException(id, id, "unknown processing step; known: binarize, clip, "
                    + "ensure_dtype, fixed_zero_mean_unit_variance, scale_linear, scale_range, sigmoid, softmax, "
                    + "zero_mean_unit_variance");
        };
    }

    private static StatsScope scope(String id, Map<String, ?> k) {
        Object axes = k.get("axes");
        List<String> names = new ArrayList<>();
        if (axes instanceof Collection<?> c) {
            for (Object o : c) {
                names.add(o.toString());
            }
        } else if (axes != null) {
            for (char ch : axes.toString().toLowerCase(Locale.ROOT).toCharArray()) {
                names.add(String.valueOf(ch));
            }
        }
        StatsScope scope = StatsScope.fromAxes(names);
        return "per_dataset".equals(k.get("mode")) ? scope.acrossPlanesToo() : scope;
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
     * Computes the statistics every step needs over {@code v} (its samples as the steps before each see them), over
     * the whole volume or per plane as each step's scope says. A volume has one channel.
     */
    public Bound bind(Volume v) {
        int depth = v.depth();
        SampleStatistics[][] stats = new SampleStatistics[ops.size()][];
        for (int i = 0; i < ops.size(); i++) {
            ProcessingOp op = ops.get(i);
            if (op.percentiles().isEmpty() && !op.needsMoments()) {
                continue;
            }
            Bound before = new Bound(ops.subList(0, i), copyOf(stats, i), depth);
            TreeSet<Double> ps = new TreeSet<>(op.percentiles());
            int n = v.planeSize();
            float[] buf = new float[n];
            if (op.scope().acrossPlanes()) {
                stats[i] = new SampleStatistics[] {VolumeStatistics.of(depth, z -> {
                    v.copyPlane(z, buf);
                    before.apply(z, buf, 0, 1, n);
                    return buf;
                }, n, ps)};
            } else {
                stats[i] = new SampleStatistics[depth];
                for (int z = 0; z < depth; z++) {
                    v.copyPlane(z, buf);
                    before.apply(z, buf, 0, 1, n);
                    stats[i][z] = VolumeStatistics.ofPlane(buf, n, ps);
                }
            }
        }
        return new Bound(ops, stats, depth);
    }

    /**
     * The percentiles of the raw data that {@link #resolve} needs: each step's, and their mirror images (a linear
     * step with a negative gain turns percentile p into 100 - p).
     */
    public Set<Double> rawPercentiles() {
        Set<Double> ps = new TreeSet<>();
        for (double p : percentiles()) {
            ps.add(p);
            ps.add(100 - p);
        }
        return ps;
    }

    /**
     * The raw data's statistics as a task carries them, read once from {@code s} (e.g. a job's merged histogram):
     * the moments and {@link #rawPercentiles()}.
     */
    public VolumeStatistics snapshot(SampleStatistics s) {
        Map<Double, Double> ps = new java.util.TreeMap<>();
        for (double p : rawPercentiles()) {
            ps.put(p, s.percentile(p));
        }
        return new VolumeStatistics(s.count(), s.mean(), s.std(), s.min(), s.max(), ps);
    }

    /**
     * Binds the chain to statistics of the raw data computed elsewhere, once (a job's whole volume, merged from its
     * slices): each data-dependent step gets them as the steps before it transform them — exactly through linear
     * steps (mean, std and percentiles), percentiles only through monotone ones. Every plane, tile and channel then
     * gets the same mapping.
     *
     * @param raw statistics with at least {@link #rawPercentiles()}
     * @throws ProcessingSpecException when a step needs moments of data a non-linear step has transformed
     */
    public Bound resolve(SampleStatistics raw) {
        SampleStatistics[][] stats = new SampleStatistics[ops.size()][];
        SampleStatistics seen = raw;
        for (int i = 0; i < ops.size(); i++) {
            ProcessingOp op = ops.get(i);
            boolean needs = !op.percentiles().isEmpty() || op.needsMoments();
            if (needs) {
                if (op.needsMoments()) {
                    // fails now, naming the step, rather than on a worker
                    seen.mean();
                }
                for (double p : op.percentiles()) {
                    seen.percentile(p);
                }
                stats[i] = new SampleStatistics[] {seen};
            }
            seen = Transformed.after(op, needs ? seen : null, seen);
        }
        return new Bound(ops, stats, 1);
    }

    /**
     * Statistics of data seen through one more step, derived from those before it: exactly through a linear step
     * ({@code linear} non-null), percentiles only through a monotone non-decreasing one ({@code monotone}).
     */
    private record Transformed(SampleStatistics before, ProcessingOp step, ProcessingOp.Linear linear,
                               ProcessingOp.SampleFunction monotone) implements SampleStatistics {

        static SampleStatistics after(ProcessingOp op, SampleStatistics own, SampleStatistics before) {
            ProcessingOp.Linear l = op.linear(own, 0);
            if (l != null && before instanceof Transformed t && t.linear == null) {
                l = null;
            }
            // after a softmax (or anything after one) nothing of the data's distribution is known
            boolean unknown = op instanceof ProcessingOp.Softmax || before instanceof Transformed t
                    && t.linear == null && t.monotone == null;
            return new Transformed(before, op, l, l != null || unknown ? null : op.kernel(own, 0));
        }

        @Override
        public long count() {
            return before.count();
        }

        @Override
        public double min() {
            return map(before.min(), before.max());
        }

        @Override
        public double max() {
            return map(before.max(), before.min());
        }

        /** The image of a bound: {@code whenIncreasing}, or {@code otherwise} for a decreasing linear step. */
        private double map(double whenIncreasing, double otherwise) {
            if (linear != null) {
                return linear.gain() * (linear.gain() >= 0 ? whenIncreasing : otherwise) + linear.offset();
            }
            if (monotone == null) {
                throw new ProcessingSpecException(step.id(), "range", "the range of its output is not known");
            }
            return monotone.apply((float) whenIncreasing);
        }

        @Override
        public double mean() {
            requireLinear();
            return linear.gain() * before.mean() + linear.offset();
        }

        @Override
        public double std() {
            requireLinear();
            return Math.abs(linear.gain()) * before.std();
        }

        @Override
        public double percentile(double p) {
            if (linear != null) {
                return linear.gain() * before.percentile(linear.gain() >= 0 ? p : 100 - p) + linear.offset();
            }
            if (monotone == null) {
                throw new ProcessingSpecException(step.id(), p, "percentiles of its output are not known");
            }
            return monotone.apply((float) before.percentile(p));
        }

        private void requireLinear() {
            if (linear == null) {
                throw new ProcessingSpecException(step.id(), "moments", "the mean and standard deviation after this"
                        + " non-linear step are not known");
            }
        }
    }

    /**
     * Applies the chain in place to a whole tensor {@code [batch][channel][n]} with statistics of the tensor itself,
     * as bioimage.io's test run does: each step's statistics over the samples its scope groups (per batch entry
     * unless it reduces across planes, per channel unless it reduces across channels), as the steps before it left
     * them. Percentiles are exact (numpy's linear definition).
     */
    public void applyToTensor(float[] data, int batch, int channels, int n) {
        if ((long) batch * channels * n != data.length) {
            throw new IllegalArgumentException("a tensor of " + data.length + " values is not " + batch + " x "
                    + channels + " x " + n);
        }
        float[] block = new float[n];
        for (ProcessingOp op : ops) {
            if (op instanceof ProcessingOp.Softmax) {
                for (int b = 0; b < batch; b++) {
                    ProcessingOp.Softmax.applyChannels(data, b * channels * n, channels, n);
                }
                continue;
            }
            boolean needs = !op.percentiles().isEmpty() || op.needsMoments();
            SampleStatistics[][] groupStats = new SampleStatistics[batch][channels];
            if (needs) {
                StatsScope scope = op.scope();
                int bGroups = scope.acrossPlanes() ? 1 : batch;
                int cGroups = scope.acrossChannels() ? 1 : channels;
                for (int gb = 0; gb < bGroups; gb++) {
                    for (int gc = 0; gc < cGroups; gc++) {
                        int[] members = members(gb, gc, scope, batch, channels);
                        SampleStatistics st = VolumeStatistics.of(members.length, k -> {
                            System.arraycopy(data, members[k] * n, block, 0, n);
                            return block;
                        }, n, op.percentiles());
                        for (int m : members) {
                            groupStats[m / channels][m % channels] = st;
                        }
                    }
                }
            }
            for (int b = 0; b < batch; b++) {
                for (int c = 0; c < channels; c++) {
                    ProcessingOp.SampleFunction f = op.kernel(groupStats[b][c], c);
                    int base = (b * channels + c) * n;
                    for (int j = 0; j < n; j++) {
                        data[base + j] = f.apply(data[base + j]);
                    }
                }
            }
        }
    }

    /** The {@code b * channels + c} blocks in group ({@code gb}, {@code gc}) of a scope. */
    private static int[] members(int gb, int gc, StatsScope scope, int batch, int channels) {
        int bs = scope.acrossPlanes() ? batch : 1;
        int cs = scope.acrossChannels() ? channels : 1;
        int[] m = new int[bs * cs];
        int k = 0;
        for (int i = 0; i < bs; i++) {
            for (int j = 0; j < cs; j++) {
                int b = scope.acrossPlanes() ? i : gb;
                int c = scope.acrossChannels() ? j : gc;
                m[k++] = b * channels + c;
            }
        }
        return m;
    }

    private static SampleStatistics[][] copyOf(SampleStatistics[][] s, int n) {
        SampleStatistics[][] c = new SampleStatistics[n][];
        System.arraycopy(s, 0, c, 0, n);
        return c;
    }

    /** A chain with its statistics fixed. Immutable and thread-safe. */
    public static final class Bound {
        private final List<ProcessingOp> ops;
        private final SampleStatistics[][] stats;
        private final int depth;

        Bound(List<ProcessingOp> ops, SampleStatistics[][] stats, int depth) {
            this.ops = List.copyOf(ops);
            this.stats = stats;
            this.depth = depth;
        }

        /** The statistics step {@code op} uses for plane {@code z} (null for a step without statistics). */
        public SampleStatistics statistics(int op, int z) {
            SampleStatistics[] s = stats[op];
            if (s == null) {
                return null;
            }
            return s.length == 1 ? s[0] : s[z];
        }

        /**
         * Transforms, in place, {@code channels} blocks of {@code n} samples at {@code offset} ({@code [c][n]}) that
         * belong to plane {@code z} (for per-plane statistics; with 2.5D inputs, the output plane; 0 for a chain
         * {@link #resolve resolved} once for every plane).
         */
        public void apply(int z, float[] data, int offset, int channels, int n) {
            Objects.checkIndex(z, depth);
            for (int i = 0; i < ops.size(); i++) {
                ProcessingOp op = ops.get(i);
                if (op instanceof ProcessingOp.Softmax) {
                    ProcessingOp.Softmax.applyChannels(data, offset, channels, n);
                    continue;
                }
                SampleStatistics s = statistics(i, z);
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
