package org.zooscope.jobstream.topology;

import java.util.Set;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * When job-stream's transactions commit. Under exactly-once a record sent downstream is invisible to its readers until
 * the transaction that sent it commits, and each commit costs the broker and this process a few milliseconds. So a
 * record that hands work on (a task, an admission, a progress report another stage acts on, a completion event) asks
 * for its commit at once: the next stage starts without waiting for the commit interval. A status update only shows
 * progress; it rides along with the next commit, at most the commit interval later
 * ({@code PlanSettings.progressInterval}), so a preview's tiles are not a transaction each.
 */
public final class WorkCommits {
    /** Sinks whose records start no work. */
    private static final Set<String> PACED = Set.of(JobTopology.STATUS_SINK);

    private WorkCommits() {
    }

    /** Sends {@code record} to {@code sink}; unless it only reports status, asks to commit after the current record. */
    public static <K, V> void forward(ProcessorContext<K, V> context, Record<? extends K, ? extends V> record,
                                      String sink) {
        context.forward(record, sink);
        if (!PACED.contains(sink)) {
            context.commit();
        }
    }
}
