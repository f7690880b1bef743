package org.zooscope.jobstream.config;

import java.time.Duration;
import org.zooscope.core.modelpkg.ModelTiling;

/**
 * How jobs are cut into work and kept in bounds.
 *
 * @param tileSize            core tile edge in pixels
 * @param histogramBins       bins of the per-slice histograms that whole-volume percentiles are read from
 * @param maxRunningJobs      jobs that run at once in the whole service (the workers are shared); more wait QUEUED,
 *                            in one order
 * @param secondsPerTile      expected inference time of one tile, for the runtime estimate (CDeep3M's ERT)
 * @param deadlineFactor      a running job fails once it has taken this many times its expected runtime...
 * @param minDeadline         ...but never sooner than this
 * @param retention           how long an ended job stays in the state store (its status stays in the compacted topic)
 * @param progressInterval    how often a running job's progress is published: its status while tiles come in at most
 *                            once per interval, and job-stream commits at least this often (a record that hands work on
 *                            commits at once, see {@code WorkCommits}); a commit costs the broker and job-stream a few ms
 */
public record PlanSettings(int tileSize, int histogramBins, int maxRunningJobs, double secondsPerTile,
                           double deadlineFactor, Duration minDeadline, Duration retention, Duration progressInterval) {

    /** A progress bar that moves once a second, and one transaction a second for it. */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(1);

    public PlanSettings {
        if (tileSize < 16 || tileSize > 4096) {
            throw new IllegalArgumentException("tile size must be within 16..4096 but was " + tileSize);
        }
        if (histogramBins < 16) {
            throw new IllegalArgumentException("histogram bins must be >= 16 but was " + histogramBins);
        }
        if (maxRunningJobs < 1 || secondsPerTile <= 0 || deadlineFactor < 1) {
            throw new IllegalArgumentException("running jobs >= 1, seconds per tile > 0 and deadline factor >= 1 are required");
        }
        if (progressInterval == null || progressInterval.isNegative() || progressInterval.isZero()
                || progressInterval.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ZOOSCOPE_PROGRESS_INTERVAL must be a positive duration such as PT1S but was "
                    + progressInterval);
        }
    }

    public PlanSettings(int tileSize, int histogramBins) {
        this(tileSize, histogramBins, 2, 2.0, 10, Duration.ofMinutes(5), Duration.ofHours(1), DEFAULT_PROGRESS_INTERVAL);
    }

    public static PlanSettings defaults() {
        return new PlanSettings(ModelTiling.DEFAULT_TILE_SIZE, 1024);
    }

    /** CDeep3M's estimated runtime: a fixed start-up cost plus the tiles at the expected rate. */
    public Duration expectedRuntime(int tiles, int slices) {
        return Duration.ofMillis((long) ((5 + tiles * secondsPerTile + slices * 0.5) * 1000));
    }

    public Duration deadline(int tiles, int slices) {
        Duration scaled = Duration.ofMillis((long) (expectedRuntime(tiles, slices).toMillis() * deadlineFactor));
        return scaled.compareTo(minDeadline) > 0 ? scaled : minDeadline;
    }
}
