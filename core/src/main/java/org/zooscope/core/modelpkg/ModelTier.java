package org.zooscope.core.modelpkg;

import java.util.Locale;
import java.util.Map;

/**
 * The zoo's two kinds of model: fast ones, at most 100 ms per 512 × 512 tile through a worker on 2 CPU threads and
 * 10 MB per package, which a preview on CPU runs by default; accurate ones, up to 400 ms per tile there and 40 MB,
 * which a GPU worker runs in a fraction of that. A package names its tier in {@code config.zooscope.tier}; a model
 * from elsewhere names none, and its cost is not known before it runs.
 */
public enum ModelTier {
    FAST(100, 10),
    ACCURATE(400, 40);

    private final int maxMsPerTile;
    private final int maxPackageMb;

    ModelTier(int maxMsPerTile, int maxPackageMb) {
        this.maxMsPerTile = maxMsPerTile;
        this.maxPackageMb = maxPackageMb;
    }

    /** The most one 512 × 512 tile may take through a worker on 2 CPU threads. */
    public int maxMsPerTile() {
        return maxMsPerTile;
    }

    public int maxPackageMb() {
        return maxPackageMb;
    }

    /** How many fast tiles' time one tile of this tier may take (the ratio of their budgets). */
    public double costFactor() {
        return (double) maxMsPerTile / FAST.maxMsPerTile;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The tier a card names ({@code "tier"}), or null when it names none or one that is not a tier. */
    public static ModelTier of(Map<String, ?> card) {
        Object t = card == null ? null : card.get("tier");
        if (t == null) {
            return null;
        }
        for (ModelTier tier : values()) {
            if (tier.wire().equals(String.valueOf(t).toLowerCase(Locale.ROOT))) {
                return tier;
            }
        }
        return null;
    }
}
