package org.zooscope.gateway.limits;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Per-owner quotas and how long uploads and results are kept ({@code zooscope.limits.*} in application.yml, where
 * each default and its environment variable live). Start-up fails when a value is invalid.
 *
 * @param runningJobs  jobs of one owner in flight (queued or running) at once
 * @param storedBytes  bytes one owner may keep stored: uploads (original files and decoded planes) and job files
 * @param voxelsPerDay voxels one owner's jobs may ask for in any 24 hours: the input region's voxels × models
 * @param retention    how long an upload is kept after it was made, and a job's results after the job ended
 * @param sweepEvery   how often the sweeper deletes what expired and recounts each owner's stored bytes
 * @param firstSweep   how long after start-up the first sweep runs (the job statuses are read in by then)
 */
@ConfigurationProperties("zooscope.limits")
@Validated
public record LimitsProperties(@Positive int runningJobs, @NotNull DataSize storedBytes, @Positive long voxelsPerDay,
                               @NotNull Duration retention, @NotNull Duration sweepEvery, @NotNull Duration firstSweep) {

    public LimitsProperties {
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("zooscope.limits.retention must be positive but was " + retention);
        }
        if (sweepEvery != null && (sweepEvery.isNegative() || sweepEvery.isZero())) {
            throw new IllegalArgumentException("zooscope.limits.sweep-every must be positive but was " + sweepEvery);
        }
    }
}
