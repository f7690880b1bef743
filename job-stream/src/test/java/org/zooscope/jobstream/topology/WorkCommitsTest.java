package org.zooscope.jobstream.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WorkCommitsTest {

    @ParameterizedTest
    @ValueSource(strings = {JobTopology.SLICE_TASKS_SINK, JobTopology.TILE_TASKS_SINK, JobTopology.SLICE_ASSEMBLE_SINK,
            JobTopology.ASSEMBLE_SINK, JobTopology.COMPLETED_SINK, JobTopology.PROGRESS_SINK, JobTopology.ADMISSION_SINK,
            JobTopology.ADMISSION_ANSWERS_SINK})
    void aRecordThatHandsWorkOnCommitsAtOnce(String sink) {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();

        WorkCommits.forward(context, new Record<>("j1", "task", 0L), sink);

        assertThat(context.forwarded()).singleElement().satisfies(f -> {
            assertThat(f.childName()).contains(sink);
            assertThat(f.record().value()).isEqualTo("task");
        });
        assertThat(context.committed()).as("commit requested for %s", sink).isTrue();
    }

    @Test
    void aStatusUpdateWaitsForTheNextCommit() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();

        WorkCommits.forward(context, new Record<>("j1", "status", 0L), JobTopology.STATUS_SINK);

        assertThat(context.forwarded()).extracting(f -> f.record().value()).isEqualTo(List.of("status"));
        assertThat(context.committed()).isFalse();
    }
}
