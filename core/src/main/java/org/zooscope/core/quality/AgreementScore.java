package org.zooscope.core.quality;

/**
 * A label-free score of how far a model's output on some data can be trusted, from what a test-time-augmented run
 * already stores per pixel: the mean probability over the augmentation variants and their variance (cf. Talks et
 * al., "Unsupervised Source-Free Ranking of Biomedical Segmentation Models Under Distribution Shift", arXiv
 * 2503.00450: rank by how consistent predictions stay under perturbations of the input). Planes are added one by one;
 * the sums are pooled over every pixel added, so large uncertain areas weigh by their size.
 *
 * <p>Three estimators, each in 0..1, higher = more trustworthy (which of them carries information about true quality
 * was measured on labelled data, see the README's "Which model fits?" section; {@link #score} is the one chosen):
 * <ul>
 *   <li>{@link #agreement}: {@code 1 − Σ var / Σ m(1−m)}. For values in 0..1 the variance over variants is at most
 *   {@code m(1−m)} (Bhatia–Davis), reached when the variants split into 0s and 1s; so this is the share of the
 *   possible disagreement that did not happen. Identical variants give 1, variants that contradict each other
 *   (half say 0, half say 1 at every pixel) give 0.</li>
 *   <li>{@link #softDice}: the pooled soft Dice between every ordered pair of distinct variants, computed exactly from
 *   the moments ({@code Σ_{a≠b} p_a p_b = n(n−1)m² − n·var}): {@code (Σ m² − Σ var/(n−1)) / Σ m}. It rewards
 *   agreement and confident foreground together: identical binary variants give 1, a pair that contradicts gives 0,
 *   and a map with no foreground gives 0.</li>
 *   <li>{@link #confidence}: {@code 1 −} the mean binary entropy (bits) of the mean probability; needs no variants.</li>
 * </ul>
 * Not thread-safe; pure.
 */
public final class AgreementScore {
    private final int variants;
    private double sumVariance;
    private double sumBernoulli;
    private double sumMean;
    private double sumMeanSquared;
    private double sumEntropy;
    private long pixels;

    /** @param variants how many augmentation variants the means and variances are over (1: no augmentation) */
    public AgreementScore(int variants) {
        if (variants < 1) {
            throw new IllegalArgumentException("variants must be >= 1 but was " + variants);
        }
        this.variants = variants;
    }

    /**
     * Adds one plane: its mean probabilities over the variants and their (population) variance, or null for one
     * variant. Values are clamped into 0..1 (a model's sigmoid may round a hair outside).
     */
    public AgreementScore add(float[] mean, float[] variance) {
        if (variance != null && variance.length != mean.length) {
            throw new IllegalArgumentException("variance has " + variance.length + " values but mean has " + mean.length);
        }
        for (int i = 0; i < mean.length; i++) {
            double m = Math.min(1, Math.max(0, mean[i]));
            double v = variance == null ? 0 : Math.min(m * (1 - m), Math.max(0, variance[i]));
            sumVariance += v;
            sumBernoulli += m * (1 - m);
            sumMean += m;
            sumMeanSquared += m * m;
            sumEntropy += entropyBits(m);
        }
        pixels += mean.length;
        return this;
    }

    /** The pixels added so far. */
    public long pixels() {
        return pixels;
    }

    public int variants() {
        return variants;
    }

    /** {@code 1 − Σ var / Σ m(1−m)}; 1 where every pixel is already 0 or 1 (nothing could disagree). */
    public double agreement() {
        requireVariants();
        return sumBernoulli <= 0 ? 1 : clamp(1 - sumVariance / sumBernoulli);
    }

    /** The pooled soft Dice between pairs of distinct variants; 0 when no pixel is foreground. */
    public double softDice() {
        requireVariants();
        return sumMean <= 0 ? 0 : clamp((sumMeanSquared - sumVariance / (variants - 1)) / sumMean);
    }

    /** {@code 1 −} the mean binary entropy of the mean probability, in bits. */
    public double confidence() {
        requirePixels();
        return clamp(1 - sumEntropy / pixels);
    }

    /** The estimator Zooscope ranks by: {@link #softDice} (chosen by the validation in the README). */
    public double score() {
        return softDice();
    }

    /** What {@link #score} is, for the answer's {@code basis}. */
    public static final String METHOD = "pairwise soft Dice between test-time-augmentation variants";

    private void requireVariants() {
        requirePixels();
        if (variants < 2) {
            throw new IllegalStateException("agreement needs at least 2 augmentation variants but there is 1");
        }
    }

    private void requirePixels() {
        if (pixels == 0) {
            throw new IllegalStateException("no pixels were added");
        }
    }

    private static double entropyBits(double p) {
        if (p <= 0 || p >= 1) {
            return 0;
        }
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
    }

    private static double clamp(double x) {
        return Math.min(1, Math.max(0, x));
    }
}
