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
    void theProgressIntervalDefaultsToOneSecondAndIsKafkaStreamsCommitInterval() {
        JobStreamSettings s = JobStreamSettings.fromEnvironment(Map.of());

        assertThat(s.plan().progressInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(JobStreamMain.streamsConfig(s).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(1000);
    }

    @Test
    void theProgressIntervalIsOverridable() {
        JobStreamSettings s = JobStreamSettings.fromEnvironment(Map.of("ZOOSCOPE_PROGRESS_INTERVAL", "PT0.25S"));

        assertThat(JobStreamMain.streamsConfig(s).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250);
    }

    @Test
    void aProgressIntervalThatIsNotAPositiveDurationIsRefusedByName() {
        assertThatThrownBy(() -> JobStreamSettings.fromEnvironment(Map.of("ZOOSCOPE_PROGRESS_INTERVAL", "1000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZOOSCOPE_PROGRESS_INTERVAL").hasMessageContaining("'1000'");
        assertThatThrownBy(() -> JobStreamSettings.fromEnvironment(Map.of("ZOOSCOPE_PROGRESS_INTERVAL", "PT0S")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZOOSCOPE_PROGRESS_INTERVAL");
    }

    @Test
    void everyDurationIsReadTheSameWayAndABadOneIsNamed() {
        JobStreamSettings s = JobStreamSettings.fromEnvironment(Map.of("ZOOSCOPE_JOB_RETENTION", "PT2H"));
        assertThat(s.plan().retention()).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> JobStreamSettings.fromEnvironment(Map.of("ZOOSCOPE_MIN_DEADLINE", "5 minutes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ZOOSCOPE_MIN_DEADLINE").hasMessageContaining("'5 minutes'");
    }
}
