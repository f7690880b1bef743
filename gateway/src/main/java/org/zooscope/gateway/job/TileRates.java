package org.zooscope.gateway.job;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Comparator;
import java.util.List;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.modelpkg.ModelTier;
import org.zooscope.catalog.search.JobSearch.PastRun;

/**
 * How long one tile of a model takes, from what past jobs measured: the median of their inference seconds per tile
 * over the most recent ones that ran the model at the same augmentation level — those that ran it alone when there
 * are any, else those that ran it beside other models (whose rate is their blend). Failing those, runs at another
 * level, each scaled by the variants per tile the levels run ({@link Augmentation#variants}); failing those, the
 * benchmark default, scaled the same way. Pure.
 */
final class TileRates {

    private TileRates() {
    }

    /**
     * @param secondsPerTile the expected inference seconds of one tile (all of its augmentation variants)
     * @param jobs           how many past jobs the rate comes from (0: the default)
     * @param basis          where the rate comes from, as a sentence for people
     */
    record Rate(double secondsPerTile, int jobs, String basis) {
    }

    /**
     * @param frames    the z-frames the model takes (augmentation runs more variants for 2.5D models)
     * @param past      past runs of the model, in any order (runs of other models, unmeasured or empty ones are ignored)
     * @param lastN     how many of the most recent matching runs make the median
     * @param benchmark seconds per tile without augmentation when no past run measured the model
     */
    static Rate rate(String modelId, Augmentation augmentation, int frames, List<PastRun> past, int lastN,
                     double benchmark) {
        return rate(modelId, augmentation, frames, past, lastN, benchmark, null);
    }

    /**
     * As above, for a model of a known {@link ModelTier}: with no past run, the benchmark default (a fast model's) is
     * scaled by how much more time per tile the tier allows.
     */
    static Rate rate(String modelId, Augmentation augmentation, int frames, List<PastRun> past, int lastN,
                     double benchmark, ModelTier tier) {
        List<PastRun> usable = past.stream()
                .filter(r -> r.models().contains(modelId) && r.tiles() > 0 && r.inferenceSeconds() > 0)
                .sorted(Comparator.comparing(PastRun::finishedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
        int variants = augmentation.variants(frames);
        String level = "augmentation " + augmentation.wire();
        List<PastRun> same = preferAlone(usable.stream().filter(r -> augmentation.wire().equals(r.augmentation())).toList());
        if (!same.isEmpty()) {
            List<PastRun> recent = same.stream().limit(lastN).toList();
            double rate = median(recent.stream().mapToDouble(r -> r.inferenceSeconds() / r.tiles()).sorted().toArray());
            return new Rate(rate, recent.size(), "median of " + jobs(recent.size()) + " with " + modelId + alone(recent)
                    + ", " + level + ": " + seconds(rate) + " s per tile");
        }
        List<PastRun> other = preferAlone(usable).stream().limit(lastN).toList();
        if (!other.isEmpty()) {
            double perVariant = median(other.stream()
                    .mapToDouble(r -> r.inferenceSeconds() / r.tiles() / levelOf(r).variants(frames)).sorted().toArray());
            double rate = perVariant * variants;
            return new Rate(rate, other.size(), "no past jobs with " + modelId + " at " + level + "; median of "
                    + jobs(other.size()) + " with it at other levels" + alone(other) + ", " + seconds(perVariant)
                    + " s per tile and variant, × " + variants + (variants == 1 ? " variant" : " variants") + ": "
                    + seconds(rate) + " s per tile");
        }
        boolean scaled = tier != null && tier.costFactor() != 1;
        double perTile = scaled ? benchmark * tier.costFactor() : benchmark;
        double rate = perTile * variants;
        return new Rate(rate, 0, "no past jobs with " + modelId + ": the benchmark default of " + seconds(benchmark)
                + " s per tile" + (scaled ? " × " + seconds(tier.costFactor()) + " for an " + tier.wire()
                + "-tier model (" + tier.maxMsPerTile() + " ms per tile allowed against a fast model's "
                + ModelTier.FAST.maxMsPerTile() + ")" : "")
                + (variants == 1 ? "" : " × " + variants + " variants for " + level)
                + (scaled || variants != 1 ? ": " + seconds(rate) + " s per tile" : ""));
    }

    /** Runs of the model alone when there are any (their rate is the model's own), else all of them. */
    private static List<PastRun> preferAlone(List<PastRun> runs) {
        List<PastRun> alone = runs.stream().filter(r -> r.models().size() == 1).toList();
        return alone.isEmpty() ? runs : alone;
    }

    private static String alone(List<PastRun> runs) {
        return runs.stream().allMatch(r -> r.models().size() == 1) ? "" : " (beside other models)";
    }

    private static Augmentation levelOf(PastRun r) {
        try {
            return r.augmentation() == null ? Augmentation.NONE : Augmentation.parse(r.augmentation());
        } catch (IllegalArgumentException e) {
            return Augmentation.NONE;
        }
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Two significant digits, no exponent: 0.21, 2, 120. */
    static String seconds(double s) {
        return BigDecimal.valueOf(s).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    private static String jobs(int n) {
        return n == 1 ? "1 past job" : n + " past jobs";
    }
}
