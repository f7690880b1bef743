package org.zooscope.core.events;

/**
 * A model's declared input preprocessing, resolved to {@code clip(value * gain + offset, clipMin, clipMax)} with
 * statistics of the whole volume (never of one tile), so that every tile of a job sees the same mapping. Each of
 * bioimage.io's scale_range, zero_mean_unit_variance, fixed_zero_mean_unit_variance, scale_linear and clip resolves
 * to this form.
 */
public record InputTransform(double gain, double offset, Double clipMin, Double clipMax) {
    public static final InputTransform IDENTITY = new InputTransform(1, 0, null, null);

    public InputTransform {
        if (!Double.isFinite(gain) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("input transform must be finite but was gain " + gain + ", offset " + offset);
        }
    }

    /** Applies the transform in place. */
    public void applyInPlace(float[] values) {
        float g = (float) gain;
        float o = (float) offset;
        float lo = clipMin == null ? Float.NEGATIVE_INFINITY : clipMin.floatValue();
        float hi = clipMax == null ? Float.POSITIVE_INFINITY : clipMax.floatValue();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.min(hi, Math.max(lo, values[i] * g + o));
        }
    }

    /** This transform followed by {@code next}. */
    public InputTransform andThen(InputTransform next) {
        if (clipMin != null || clipMax != null) {
            throw new IllegalStateException("a clip must be the last op of a resolved transform");
        }
        return new InputTransform(gain * next.gain, offset * next.gain + next.offset, next.clipMin, next.clipMax);
    }
}
