package org.zooscope.jobstream.jobstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.events.JobState;

class JobStageTest {

    @Test
    void aJobMovesForwardOnlyAndNeverLeavesAFinalStage() {
        assertThat(JobStage.QUEUED.mayMoveTo(JobStage.PREPROCESSING)).isTrue();
        assertThat(JobStage.INFERENCE.mayMoveTo(JobStage.ASSEMBLING)).isTrue();
        assertThat(JobStage.INFERENCE.mayMoveTo(JobStage.PREPROCESSING)).isFalse();
        assertThat(JobStage.PLANNING.mayMoveTo(JobStage.FAILED)).isTrue();
        assertThat(JobStage.SUCCEEDED.mayMoveTo(JobStage.FAILED)).isFalse();
        assertThat(JobStage.CANCELLED.mayMoveTo(JobStage.ASSEMBLING)).isFalse();
    }

    @Test
    void eachStageShowsOneStateAndStartsTheBarWhereTheOneBeforeEnds() {
        double last = -1;
        for (JobStage s : List.of(JobStage.PLANNING, JobStage.QUEUED, JobStage.PREPROCESSING, JobStage.INFERENCE,
                JobStage.ASSEMBLING, JobStage.SUCCEEDED)) {
            assertThat(s.startsAt()).isGreaterThan(last);
            last = s.startsAt();
        }
        assertThat(JobStage.INFERENCE.state()).isEqualTo(JobState.RUNNING);
        assertThat(JobStage.finalFor(JobState.CANCELLED)).isEqualTo(JobStage.CANCELLED);
    }

    @Test
    void theRecordKeepsItsStageThroughTheStoreAndRefusesAMoveBack() {
        JobRequested r = new JobRequested("j1", "owner", null, new JobInput("u1", null, null), List.of("m"),
                new JobSettings(false, null, 0.5, null), Instant.EPOCH);
        JobRecord running = JobRecord.planning(r, Instant.EPOCH).moveTo(JobStage.ASSEMBLING, Instant.EPOCH);
        JobRecord read = EventJson.fromBytes(EventJson.toBytes(running), JobRecord.class);
        assertThat(read.stage()).isEqualTo(JobStage.ASSEMBLING);
        assertThat(read.status().stage()).isEqualTo("assembling");
        assertThat(read.progress()).isEqualTo(JobStage.ASSEMBLING.startsAt());
        assertThatThrownBy(() -> read.moveTo(JobStage.INFERENCE, Instant.EPOCH)).isInstanceOf(IllegalStateException.class);
    }
}
