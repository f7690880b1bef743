package org.zooscope.core.process;

import java.util.Locale;
import java.util.Set;

/**
 * One bioimage.io (model spec 0.5) pre- or postprocessing step, with the spec's kwargs names and semantics as
 * implemented by bioimageio.core. Elementwise steps map one sample at a time; {@link Softmax} works across channels.
 * Steps that need statistics ({@link ScaleRange}, {@link ZeroMeanUnitVariance}, {@link Clip} with percentiles,
 * {@link ScaleMeanVariance}) declare them through {@link #percentiles()} / {@link #needsMoments()} and their
 * {@link #scope()}; {@link Processing} computes them once per volume or plane. Immutable.
 */
public sealed interface ProcessingOp permits ProcessingOp.ScaleRange, ProcessingOp.ZeroMeanUnitVariance,
        ProcessingOp.FixedZeroMeanUnitVariance, ProcessingOp.ScaleLinear, ProcessingOp.Clip, ProcessingOp.Binarize,
        ProcessingOp.Sigmoid, ProcessingOp.Softmax, ProcessingOp.EnsureDtype, ProcessingOp.ScaleMeanVariance {

    /** The bioimage.io id, e.g. {@code "scale_range"}. */
    String id();

    /** Percentiles this step needs, empty if none. */
    default Set<Double> percentiles() {
        return Set.of();
    }

    /** Whether this step needs the mean and standard deviation. */
    default boolean needsMoments() {
        return false;
    }

    /** Where statistics come from (irrelevant for steps without statistics). */
    default StatsScope scope() {
        return StatsScope.VOLUME;
    }

    /**
     * The step as a function of one sample, with the statistics of its scope (null if it needs none) and the
     * channel index resolved once (so applying it to a tile does no look-ups).
     */
    SampleFunction kernel(SampleStatistics stats, int channel);

    /**
     * The step as {@code x * gain + offset} in double precision, when it is linear (statistics resolved); null for
     * a non-linear step. Lets statistics be carried exactly through the step.
     */
    default Linear linear(SampleStatistics stats, int channel) {
        return null;
    }

    /** A linear step's gain and offset. */
    record Linear(double gain, double offset) {
    }

    /** Applies the step to one sample (convenience; use {@link #kernel} in loops). */
    default float apply(float x, SampleStatistics stats, int channel) {
        return kernel(stats, channel).apply(x);
    }

    /** A step bound to its statistics and channel. */
    @FunctionalInterface
    interface SampleFunction {
        float apply(float x);
    }

    /** {@code (x - P_min) / (P_max - P_min + eps)}. */
    record ScaleRange(double minPercentile, double maxPercentile, double eps, StatsScope scope)
            implements ProcessingOp {
        public ScaleRange {
            if (!(minPercentile >= 0 && minPercentile < maxPercentile && maxPercentile <= 100)) {
                throw new IllegalArgumentException("need 0 <= min_percentile < max_percentile <= 100 but got "
                        + minPercentile + ", " + maxPercentile);
            }
        }

        @Override
        public String id() {
            return "scale_range";
        }

        @Override
        public Set<Double> percentiles() {
            return Set.of(minPercentile, maxPercentile);
        }

        @Override
        public Linear linear(SampleStatistics s, int channel) {
            double lo = s.percentile(minPercentile);
            double den = s.percentile(maxPercentile) - lo + eps;
            return new Linear(1 / den, -lo / den);
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            double lo = s.percentile(minPercentile);
            double den = s.percentile(maxPercentile) - lo + eps;
            return x -> (float) ((x - lo) / den);
        }
    }

    /** {@code (x - mean) / (std + eps)} with the data's mean and population std. */
    record ZeroMeanUnitVariance(double eps, StatsScope scope) implements ProcessingOp {
        @Override
        public String id() {
            return "zero_mean_unit_variance";
        }

        @Override
        public boolean needsMoments() {
            return true;
        }

        @Override
        public Linear linear(SampleStatistics s, int channel) {
            double den = s.std() + eps;
            return new Linear(1 / den, -s.mean() / den);
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            double m = s.mean();
            double den = s.std() + eps;
            return x -> (float) ((x - m) / den);
        }
    }

    /** {@code (x - mean[c]) / (std[c] + eps)} with given values (one, or one per channel). */
    record FixedZeroMeanUnitVariance(double[] mean, double[] std, double eps) implements ProcessingOp {
        public FixedZeroMeanUnitVariance {
            if (mean.length == 0 || mean.length != std.length) {
                throw new IllegalArgumentException("mean and std need the same non-zero length");
            }
            mean = mean.clone();
            std = std.clone();
        }

        @Override
        public String id() {
            return "fixed_zero_mean_unit_variance";
        }

        @Override
        public Linear linear(SampleStatistics s, int channel) {
            int c = mean.length == 1 ? 0 : channel;
            double den = std[c] + eps;
            return new Linear(1 / den, -mean[c] / den);
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            int c = mean.length == 1 ? 0 : channel;
            double m = mean[c];
            double den = std[c] + eps;
            return x -> (float) ((x - m) / den);
        }
    }

    /** {@code x · gain[c] + offset[c]} (one value, or one per channel). */
    record ScaleLinear(double[] gain, double[] offset) implements ProcessingOp {
        public ScaleLinear {
            if (gain.length == 0 || offset.length == 0) {
                throw new IllegalArgumentException("gain and offset must not be empty");
            }
            gain = gain.clone();
            offset = offset.clone();
        }

        @Override
        public String id() {
            return "scale_linear";
        }

        @Override
        public Linear linear(SampleStatistics s, int channel) {
            return new Linear(gain[gain.length == 1 ? 0 : channel], offset[offset.length == 1 ? 0 : channel]);
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            double g = gain[gain.length == 1 ? 0 : channel];
            double o = offset[offset.length == 1 ? 0 : channel];
            return x -> (float) (x * g + o);
        }
    }

    /**
     * Clamp to [min, max]; either bound may instead be a percentile of the data (spec 0.5), or absent (NaN /
     * null percentile).
     */
    record Clip(double min, double max, Double minPercentile, Double maxPercentile, StatsScope scope)
            implements ProcessingOp {
        @Override
        public String id() {
            return "clip";
        }

        @Override
        public Set<Double> percentiles() {
            if (minPercentile != null && maxPercentile != null) {
                return Set.of(minPercentile, maxPercentile);
            }
            return minPercentile != null ? Set.of(minPercentile) : maxPercentile != null ? Set.of(maxPercentile)
                    : Set.of();
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            double lo = minPercentile != null ? s.percentile(minPercentile) : Double.isNaN(min) ? -Double.MAX_VALUE
                    : min;
            double hi = maxPercentile != null ? s.percentile(maxPercentile) : Double.isNaN(max) ? Double.MAX_VALUE
                    : max;
            return x -> x < lo ? (float) lo : x > hi ? (float) hi : x;
        }
    }

    /** {@code x > threshold[c] ? 1 : 0}. */
    record Binarize(double[] threshold) implements ProcessingOp {
        public Binarize {
            if (threshold.length == 0) {
                throw new IllegalArgumentException("threshold must not be empty");
            }
            threshold = threshold.clone();
        }

        @Override
        public String id() {
            return "binarize";
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            double t = threshold[threshold.length == 1 ? 0 : channel];
            return x -> x > t ? 1f : 0f;
        }
    }

    /** {@code 1 / (1 + e^-x)}. */
    record Sigmoid() implements ProcessingOp {
        @Override
        public String id() {
            return "sigmoid";
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            return x -> (float) (1.0 / (1.0 + Math.exp(-x)));
        }
    }

    /** Softmax across channels (the spec's default axis {@code channel}); see {@link #applyChannels}. */
    record Softmax() implements ProcessingOp {
        @Override
        public String id() {
            return "softmax";
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            throw new IllegalStateException("softmax works across channels: use applyChannels");
        }

        /** In place on {@code data[c][n]} at {@code offset}: {@code e^(x - max) / Σ e^(x - max)} per sample. */
        public static void applyChannels(float[] data, int offset, int channels, int n) {
            for (int i = 0; i < n; i++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < channels; c++) {
                    m = Math.max(m, data[offset + c * n + i]);
                }
                double sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += Math.exp(data[offset + c * n + i] - m);
                }
                for (int c = 0; c < channels; c++) {
                    data[offset + c * n + i] = (float) (Math.exp(data[offset + c * n + i] - m) / sum);
                }
            }
        }
    }

    /**
     * Cast to a dtype ({@code float32, float64, uint8, uint16, uint32, int8, int16, int32, int64, bool}): integer
     * targets truncate toward zero like numpy's {@code astype} and saturate at the type's range (numpy leaves
     * out-of-range casts undefined); {@code bool} maps non-zero to 1; float64 keeps the float value.
     */
    record EnsureDtype(String dtype) implements ProcessingOp {
        private static final Set<String> KNOWN = Set.of("float32", "float64", "uint8", "uint16", "uint32", "uint64",
                "int8", "int16", "int32", "int64", "bool");

        public EnsureDtype {
            dtype = dtype.toLowerCase(Locale.ROOT);
            if (!KNOWN.contains(dtype)) {
                throw new IllegalArgumentException("unsupported dtype " + dtype + "; known: " + KNOWN);
            }
        }

        @Override
        public String id() {
            return "ensure_dtype";
        }

        @Override
        public Linear linear(SampleStatistics s, int channel) {
            return dtype.startsWith("float") ? new Linear(1, 0) : null;
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            return switch (dtype) {
                case "float32", "float64" -> x -> x;
                case "bool" -> x -> x != 0 ? 1f : 0f;
                default -> x -> (float) saturate(x < 0 ? Math.ceil(x) : Math.floor(x));
            };
        }

        private double saturate(double v) {
            double lo;
            double hi;
            switch (dtype) {
                case "uint8" -> {
                    lo = 0;
                    hi = 255;
                }
                case "uint16" -> {
                    lo = 0;
                    hi = 65535;
                }
                case "uint32" -> {
                    lo = 0;
                    hi = 4294967295.0;
                }
                case "uint64" -> {
                    lo = 0;
                    hi = Double.MAX_VALUE;
                }
                case "int8" -> {
                    lo = -128;
                    hi = 127;
                }
                case "int16" -> {
                    lo = -32768;
                    hi = 32767;
                }
                case "int32" -> {
                    lo = Integer.MIN_VALUE;
                    hi = Integer.MAX_VALUE;
                }
                default -> {
                    lo = -Double.MAX_VALUE;
                    hi = Double.MAX_VALUE;
                }
            }
            return Math.max(lo, Math.min(hi, v));
        }
    }

    /**
     * Match mean and std to a reference tensor's: {@code (x - mean) / (std + eps) · (refStd + eps) + refMean}.
     * The reference statistics are given (the reference tensor belongs to the caller).
     */
    record ScaleMeanVariance(double referenceMean, double referenceStd, double eps, StatsScope scope)
            implements ProcessingOp {
        @Override
        public String id() {
            return "scale_mean_variance";
        }

        @Override
        public boolean needsMoments() {
            return true;
        }

        @Override
        public Linear linear(SampleStatistics s, int channel) {
            double f = (referenceStd + eps) / (s.std() + eps);
            return new Linear(f, referenceMean - s.mean() * f);
        }

        @Override
        public SampleFunction kernel(SampleStatistics s, int channel) {
            double m = s.mean();
            double den = s.std() + eps;
            double f = referenceStd + eps;
            double rm = referenceMean;
            return x -> (float) ((x - m) / den * f + rm);
        }
    }
}
