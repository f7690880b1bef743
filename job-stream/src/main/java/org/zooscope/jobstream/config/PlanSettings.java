package org.zooscope.jobstream.config;

/**
 * How jobs are cut into work.
 *
 * @param tileSize      core tile edge in pixels
 * @param histogramBins bins of the per-slice histograms that whole-volume percentiles are read from
 */
public record PlanSettings(int tileSize, int histogramBins) {
    public PlanSettings {
        if (tileSize < 16 || tileSize > 4096) {
            throw new IllegalArgumentException("tile size must be within 16..4096 but was " + tileSize);
        }
        if (histogramBins < 16) {
            throw new IllegalArgumentException("histogram bins must be >= 16 but was " + histogramBins);
        }
    }

    public static PlanSettings defaults() {
        return new PlanSettings(512, 1024);
    }
}
