package org.zooscope.gateway.job;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the answers drawn from past jobs ({@code zooscope.jobs.*} in application.yml, where each default and
 * its environment variable live). Start-up fails when a value is invalid.
 *
 * @param nearMargin how far (level-0 voxels, in x and y) a job's region may be from a point and still be "near" it,
 *                   unless the caller gives a {@code margin}
 * @param estimate   how runtimes are estimated
 */
@ConfigurationProperties("zooscope.jobs")
@Validated
public record JobsProperties(@Min(0) @Max(100_000) int nearMargin, @NotNull @Valid Estimate estimate) {

    /**
     * @param pastJobs               the most recent past jobs whose rates make the median
     * @param defaultSecondsPerTile  the rate used for a model no past job measured (a 512-px tile, no augmentation)
     * @param startSeconds           what every job costs besides its tiles (queue hand-over, statistics, loading the
     *                               model, the last slices and the stacks)
     */
    public record Estimate(@Positive int pastJobs, @Positive double defaultSecondsPerTile, @PositiveOrZero double startSeconds) {
    }
}
