package org.zooscope.core.enhance;

/**
 * Parameters of CDeep3M2's per-slice auto-enhancement ({@code enhance_stack.py}). The defaults reproduce it:
 * clip to the 1st/99th percentile, TV-denoise with weight {@code 0.5 × σ}, stretch the 2nd/98th percentile.
 * Immutable.
 *
 * @param enabled             false: {@link AutoEnhancer} only converts to the output scale (min/max of the
 *                            source type → 0..1), no enhancement
 * @param clipLowPercentile   lower clip percentile (CDeep3M2: 1)
 * @param clipHighPercentile  upper clip percentile (CDeep3M2: 99)
 * @param denoise             whether to TV-denoise
 * @param denoiseWeightFactor TV weight as a multiple of the estimated noise σ (CDeep3M2: 0.5)
 * @param stretchPercent      percent cut at each end of the final stretch (CDeep3M2 {@code --denoise 2}: 2)
 * @param tvEps               Chambolle stopping tolerance (skimage default 2e-4)
 * @param tvMaxIter           Chambolle iteration cap (skimage default 200)
 * @param output              8-bit grey levels (as CDeep3M2 wrote PNGs) or floats in [0, 1] for a model
 */
public record EnhanceSettings(boolean enabled, double clipLowPercentile, double clipHighPercentile, boolean denoise,
        double denoiseWeightFactor, double stretchPercent, double tvEps, int tvMaxIter, Output output) {

    /** Output scale. */
    public enum Output {
        /** Integers 0..255 ({@code img_as_ubyte}: {@code rint(v · 255)}), data type UINT8. */
        UINT8,
        /** Floats in [0, 1], data type FLOAT32. */
        FLOAT01
    }

    public EnhanceSettings {
        if (!(clipLowPercentile >= 0 && clipLowPercentile < clipHighPercentile && clipHighPercentile <= 100)) {
            throw new IllegalArgumentException("clip percentiles must satisfy 0 <= low < high <= 100 but were "
                    + clipLowPercentile + ", " + clipHighPercentile);
        }
        if (!(stretchPercent >= 0 && stretchPercent < 50)) {
            throw new IllegalArgumentException("stretchPercent must be in [0, 50) but was " + stretchPercent);
        }
        if (!(denoiseWeightFactor >= 0) || Double.isInfinite(denoiseWeightFactor)) {
            throw new IllegalArgumentException("denoiseWeightFactor must be >= 0 but was " + denoiseWeightFactor);
        }
        if (!(tvEps > 0) || tvMaxIter < 1) {
            throw new IllegalArgumentException("tvEps must be > 0 and tvMaxIter >= 1 but were " + tvEps + ", "
                    + tvMaxIter);
        }
        if (output == null) {
            throw new IllegalArgumentException("output must not be null");
        }
    }

    /** CDeep3M2's defaults with 8-bit output. */
    public static EnhanceSettings cdeep3m2() {
        return new EnhanceSettings(true, 1, 99, true, 0.5, 2, TvDenoise.DEFAULT_EPS, TvDenoise.DEFAULT_MAX_ITER,
                Output.UINT8);
    }

    /** No enhancement: only rescaling of the source type's range to the output. */
    public static EnhanceSettings off() {
        return cdeep3m2().withEnabled(false);
    }

    public EnhanceSettings withEnabled(boolean e) {
        return new EnhanceSettings(e, clipLowPercentile, clipHighPercentile, denoise, denoiseWeightFactor,
                stretchPercent, tvEps, tvMaxIter, output);
    }

    public EnhanceSettings withDenoise(boolean d, double weightFactor) {
        return new EnhanceSettings(enabled, clipLowPercentile, clipHighPercentile, d, weightFactor, stretchPercent,
                tvEps, tvMaxIter, output);
    }

    public EnhanceSettings withClip(double low, double high) {
        return new EnhanceSettings(enabled, low, high, denoise, denoiseWeightFactor, stretchPercent, tvEps,
                tvMaxIter, output);
    }

    public EnhanceSettings withStretchPercent(double cut) {
        return new EnhanceSettings(enabled, clipLowPercentile, clipHighPercentile, denoise, denoiseWeightFactor, cut,
                tvEps, tvMaxIter, output);
    }

    public EnhanceSettings withOutput(Output o) {
        return new EnhanceSettings(enabled, clipLowPercentile, clipHighPercentile, denoise, denoiseWeightFactor,
                stretchPercent, tvEps, tvMaxIter, o);
    }
}
