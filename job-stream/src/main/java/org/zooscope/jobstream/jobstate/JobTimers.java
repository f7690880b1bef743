package org.zooscope.jobstream.jobstate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.zooscope.core.events.JobState;

/**
 * When each job of one store next needs the sweep: a running job at its deadline, an ended job when its retention
 * is over. The sweep runs every second; reading every job record for it (a JSON document each) cost job-stream more
 * CPU the more jobs had ended in the last hour, with nothing to do. In memory, rebuilt from the store when the
 * processor starts, and kept up to date with every record it writes.
 */
final class JobTimers {
    private final Duration retention;
    private final Map<String, Instant> deadlines = new HashMap<>();
    private final Map<String, Instant> expiries = new HashMap<>();

    JobTimers(Duration retention) {
        this.retention = retention;
    }

    /** Notes what {@code job}, as just stored, waits for. */
    void track(JobRecord job) {
        String id = job.jobId();
        deadlines.remove(id);
        expiries.remove(id);
        if (job.state() == JobState.RUNNING && job.deadlineAt() != null) {
            deadlines.put(id, job.deadlineAt());
        } else if (job.state().isFinal() && job.updatedAt() != null) {
            expiries.put(id, job.updatedAt().plus(retention));
        }
    }

    void forget(String jobId) {
        deadlines.remove(jobId);
        expiries.remove(jobId);
    }

    /** Running jobs whose deadline has passed. */
    List<String> overdue(Instant now) {
        return due(deadlines, now);
    }

    /** Ended jobs whose retention is over. */
    List<String> expired(Instant now) {
        return due(expiries, now);
    }

    private static List<String> due(Map<String, Instant> at, Instant now) {
        return at.entrySet().stream().filter(e -> now.isAfter(e.getValue())).map(Map.Entry::getKey).sorted().toList();
    }
}
