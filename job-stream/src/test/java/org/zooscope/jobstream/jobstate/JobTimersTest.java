package org.zooscope.jobstream.jobstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.JobInput;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.JobSettings;
import org.zooscope.core.events.JobState;

class JobTimersTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private final JobTimers timers = new JobTimers(Duration.ofHours(1));

    private static JobRecord planned(String id) {
        return JobRecord.planning(new JobRequested(id, "owner", null, new JobInput("u1", null, null), List.of("m"),
                new JobSettings(false, null, 0.5, null), T0), T0);
    }

    @Test
    void aRunningJobIsOverdueOnlyAfterItsDeadline() {
        timers.track(planned("j1").started(T0, T0.plusSeconds(30)));

        assertThat(timers.overdue(T0.plusSeconds(30))).isEmpty();
        assertThat(timers.overdue(T0.plusSeconds(31))).containsExactly("j1");
        assertThat(timers.expired(T0.plus(Duration.ofDays(1)))).as("not ended: never expires").isEmpty();
    }

    @Test
    void anEndedJobLosesItsDeadlineAndExpiresAfterTheRetention() {
        JobRecord running = planned("j1").started(T0, T0.plusSeconds(30));
        timers.track(running);
        timers.track(running.finished(JobState.SUCCEEDED, Map.of(), null, T0.plusSeconds(10)));

        assertThat(timers.overdue(T0.plusSeconds(31))).as("it ended in time").isEmpty();
        assertThat(timers.expired(T0.plusSeconds(10).plus(Duration.ofMinutes(59)))).isEmpty();
        assertThat(timers.expired(T0.plusSeconds(11).plus(Duration.ofHours(1)))).containsExactly("j1");
    }

    @Test
    void aWaitingJobNeedsNoSweepAndAForgottenJobIsGone() {
        timers.track(planned("waiting"));
        JobRecord ended = planned("j2").started(T0, T0.plusSeconds(30)).finished(JobState.FAILED, Map.of(), "x", T0);
        timers.track(ended);
        timers.forget("j2");

        Instant muchLater = T0.plus(Duration.ofDays(2));
        assertThat(timers.overdue(muchLater)).isEmpty();
        assertThat(timers.expired(muchLater)).isEmpty();
    }
}
