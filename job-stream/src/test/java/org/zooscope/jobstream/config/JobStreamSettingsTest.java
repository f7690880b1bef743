package org.zooscope.jobstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zooscope.jobstream.JobStreamMain;
import org.apache.kafka.streams.StreamsConfig;

class JobStreamSettingsTest {

    @Test
    void theCommitIntervalDefaultsToOneSecondAndReachesKafkaStreams() {
        JobStreamSettings s = JobStreamSettings.fromEnvironment(Map.of());

        assertThat(s.commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(JobStreamMain.streamsConfig(s).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(1000);
    }

    @Test
    void theCommitIntervalIsOverridable() {
        JobStreamSettings s = JobStreamSettings.fromEnvironment(Map.of("ZOOSCOPE_JOBSTREAM_COMMIT_INTERVAL", "PT0.25S"));

        assertThat(JobStreamMain.streamsConfig(s).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250);
    }

    @Test
    void aCommitIntervalThatIsNotAPositiveDurationIsRefusedByName() {
        assertThatThrownBy(() -> JobStreamSettings.fromEnvironment(Map.of("ZOOSCOPE_JOBSTREAM_COMMIT_INTERVAL", "1000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZOOSCOPE_JOBSTREAM_COMMIT_INTERVAL").hasMessageContaining("'1000'");
        assertThatThrownBy(() -> JobStreamSettings.fromEnvironment(Map.of("ZOOSCOPE_JOBSTREAM_COMMIT_INTERVAL", "PT0S")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZOOSCOPE_JOBSTREAM_COMMIT_INTERVAL");
    }
}
