package org.zooscope.gateway.dataset;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the hosted datasets ({@code zooscope.datasets.*} in application.yml, where each default and its
 * environment variable live). Start-up fails when a value is invalid.
 *
 * @param curatorTokens  API tokens whose holders may ingest datasets ({@code ZOOSCOPE_CURATOR_TOKENS}, the same
 *                       curators as the model zoo's; {@code ./zooscope up} makes its own token one)
 * @param maxRegionBytes most voxel data (width × height × depth × bytes per sample) one {@code region.tif} returns
 * @param ingestThreads  ingests that run at once (each holds about one slice and its pyramid in the heap)
 * @param ingestQueue    ingests that may wait for a thread; more are refused with 503
 * @param tileMaxAge     how long browsers and proxies may keep a tile (a dataset's voxels never change)
 */
@ConfigurationProperties("zooscope.datasets")
@Validated
public record DatasetProperties(List<String> curatorTokens, @NotNull DataSize maxRegionBytes, @Positive int ingestThreads,
                                @Positive int ingestQueue, @NotNull Duration tileMaxAge) {

    public DatasetProperties {
        curatorTokens = curatorTokens == null ? List.of()
                : curatorTokens.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }
}
