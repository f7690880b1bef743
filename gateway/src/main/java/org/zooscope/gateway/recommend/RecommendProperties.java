package org.zooscope.gateway.recommend;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How much of an input a recommendation runs its models on ({@code zooscope.recommend.*} in application.yml, where
 * each default and its environment variable live). Start-up fails when a value is invalid.
 *
 * @param sampleVoxels the most voxels the models run on: the input's central slices, as many as fit (at least one)
 * @param maxPlane     the largest plane (pixels) a recommendation takes: its one central slice is the smallest sample
 */
@ConfigurationProperties("zooscope.recommend")
@Validated
public record RecommendProperties(@Positive long sampleVoxels, @Positive @Max(16L << 20) long maxPlane) {
}
