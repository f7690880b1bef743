package org.zooscope.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    @Test
    void requestRoundTripsWithIsoTimesAndLowercaseAugmentation() {
        JobRequested r = new JobRequested("j-1", "owner", "share", new JobInput("u-1", null), List.of("m1", "m2"),
                new JobSettings(true, Augmentation.STANDARD, 0.4), Instant.parse("2026-11-24T10:00:00Z"));
        String json = EventJson.toString(r);
        assertThat(json).contains("\"augmentation\":\"standard\"").contains("\"submittedAt\":\"2026-11-24T10:00:00Z\"");
        assertThat(EventJson.fromBytes(json.getBytes(StandardCharsets.UTF_8), JobRequested.class)).isEqualTo(r);
    }

    @Test
    void progressEventsKeepTheirSubtype() {
        JobProgress p = new JobProgress.TileDone("j-1", "m", 2, 7, "jobs/j-1/tiles/m/2/7.f32", 0.1);
        JobProgress back = EventJson.fromBytes(EventJson.toBytes(p), JobProgress.class);
        assertThat(back).isInstanceOf(JobProgress.TileDone.class).isEqualTo(p);
    }

    @Test
    void tileDoneCarriesTheUncertaintyKeyAndReadsOldEventsWithoutIt() {
        JobProgress p = new JobProgress.TileDone("j-1", "m", 2, 7, "jobs/j-1/tiles/m/2/7.f32", 0.1,
                "jobs/j-1/tiles/m/2/7.variance.f32");
        assertThat(EventJson.fromBytes(EventJson.toBytes(p), JobProgress.class)).isEqualTo(p);
        byte[] old = ("{\"type\":\"tile-done\",\"jobId\":\"j-1\",\"modelId\":\"m\",\"z\":2,\"tileIndex\":7,"
                + "\"outputKey\":\"k\",\"seconds\":0.1}").getBytes(StandardCharsets.UTF_8);
        assertThat(EventJson.fromBytes(old, JobProgress.class))
                .isEqualTo(new JobProgress.TileDone("j-1", "m", 2, 7, "k", 0.1, null));
    }

    @Test
    void completionEventHasTheContractFields() {
        JobCompleted c = new JobCompleted("j-1", JobState.SUCCEEDED, Instant.parse("2026-11-24T10:00:00Z"), List.of("m"),
                Map.of("probabilities", "s3://zooscope/jobs/j-1/results/probabilities.tif"), Map.of("slices", 3), null);
        assertThat(EventJson.toString(c)).contains("\"jobId\":\"j-1\"", "\"state\":\"SUCCEEDED\"", "\"finishedAt\"",
                "\"models\":[\"m\"]", "\"results\":{\"probabilities\"", "\"stats\":{\"slices\":3}");
    }

    @Test
    void completionEventCarriesTheInputOwnerAndAugmentationAndReadsOldEvents() {
        JobCompleted c = new JobCompleted("j-2", JobState.SUCCEEDED, Instant.parse("2026-11-24T10:00:00Z"), List.of("m"),
                Map.of(), Map.of("tiles", 4, "inferenceSeconds", 1.5), null,
                new JobInput(null, "sbem-cortex", new Region(100, 200, 3, 512, 512, 5)), "owner-hash", Augmentation.FAST);

        String json = EventJson.toString(c);
        assertThat(json).contains("\"input\":{\"datasetId\":\"sbem-cortex\",\"roi\":{\"x\":100,\"y\":200,\"z\":3,",
                "\"ownerHash\":\"owner-hash\"", "\"augmentation\":\"fast\"", "\"inferenceSeconds\":1.5");
        assertThat(json).as("derived flags are not fields").doesNotContain("fullRun", "\"dataset\"");
        assertThat(EventJson.fromBytes(json.getBytes(StandardCharsets.UTF_8), JobCompleted.class)).isEqualTo(c);
        byte[] old = "{\"jobId\":\"j-0\",\"state\":\"FAILED\",\"models\":[\"m\"],\"error\":\"no\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(EventJson.fromBytes(old, JobCompleted.class).input()).isNull();
    }

    @Test
    void augmentationMultipliesRunsAsTheWorkersTableSays() {
        assertThat(Augmentation.NONE.variants(5)).isEqualTo(1);
        assertThat(Augmentation.FAST.variants(1)).isEqualTo(4);
        assertThat(Augmentation.STANDARD.variants(1)).isEqualTo(4);
        assertThat(Augmentation.STANDARD.variants(3)).isEqualTo(8);
        assertThat(Augmentation.FULL.variants(1)).isEqualTo(8);
        assertThat(Augmentation.FULL.variants(5)).isEqualTo(16);
    }

    @Test
    void malformedJsonNamesTheType() {
        assertThatThrownBy(() -> EventJson.fromBytes("{\"jobId\":".getBytes(StandardCharsets.UTF_8), JobRequested.class))
                .isInstanceOf(EventJson.MalformedEventException.class).hasMessageContaining("JobRequested");
    }

    @Test
    void invalidSettingsAreRejectedOnRead() {
        byte[] json = "{\"enhance\":true,\"augmentation\":\"sideways\",\"threshold\":0.5}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> EventJson.fromBytes(json, JobSettings.class))
                .isInstanceOf(EventJson.MalformedEventException.class).hasMessageContaining("sideways");
    }

    @Test
    void topicsAreUniqueAndPublicOnesCompactedAsTheContractSays() {
        assertThat(Topics.ALL.stream().map(Topics.Topic::name).distinct()).hasSameSizeAs(Topics.ALL);
        assertThat(Topics.JOBS_STATUS.compacted()).isTrue();
        assertThat(Topics.JOBS_COMPLETED.name()).isEqualTo("zooscope.jobs.completed");
        assertThat(Topics.JOBS_STATUS.name()).isEqualTo("zooscope.jobs.status");
        // topics keyed by job id must be co-partitioned for the job state machine
        assertThat(List.of(Topics.JOBS_REQUESTED, Topics.JOBS_PROGRESS, Topics.JOBS_CONTROL))
                .extracting(Topics.Topic::partitions).containsOnly(Topics.JOBS_REQUESTED.partitions());
    }

    @Test
    void modelEventsCarryTheirOwnerAndOldEventsWithoutOneStillRead() {
        ModelRegistered m = new ModelRegistered("m", "1", "models/m/1/", Map.of("id", "m"), false,
                Instant.parse("2026-11-24T10:00:00Z"), "abc");
        assertThat(EventJson.fromBytes(EventJson.toBytes(m), ModelRegistered.class)).isEqualTo(m);

        String old = "{\"modelId\":\"m\",\"version\":\"1\",\"packageKey\":\"models/m/1/\",\"card\":{},"
                + "\"published\":true,\"registeredAt\":\"2026-11-24T10:00:00Z\"}";
        ModelRegistered back = EventJson.fromBytes(old.getBytes(StandardCharsets.UTF_8), ModelRegistered.class);
        assertThat(back.ownerHash()).isNull();
        assertThat(back.published()).isTrue();
    }
}
