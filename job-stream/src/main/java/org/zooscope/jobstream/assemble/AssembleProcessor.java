package org.zooscope.jobstream.assemble;

import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.failure.Failures;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.jobstream.plan.Planner;
import org.zooscope.jobstream.serde.MalformedRecord;
import org.zooscope.jobstream.topology.JobTopology;

/** Runs the {@link Assembler} for one job and reports the outcome to the job's gather stage. */
public final class AssembleProcessor implements Processor<String, Object, String, Object> {
    private final ObjectStore store;
    private final Assembler assembler;
    private ProcessorContext<String, Object> context;

    public AssembleProcessor(ObjectStore store) {
        this.store = store;
        this.assembler = new Assembler(store);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Object> record) {
        JobProgress result;
        if (record.value() instanceof MalformedRecord m) {
            result = new JobProgress.TaskFailed(record.key(), "assemble", "unreadable assembly task: " + m.reason());
        } else {
            AssembleTask task = (AssembleTask) record.value();
            if (store.size(Planner.cancelMarker(task.jobId())).isPresent()) {
                return; // cancelled: write no further results
            }
            long t0 = System.nanoTime();
            try {
                Map<String, String> results = assembler.assemble(task);
                result = new JobProgress.Assembled(task.jobId(), results, (System.nanoTime() - t0) / 1e9);
            } catch (RuntimeException e) {
                if (Failures.isRetriable(e)) {
                    throw e; // the stream thread is replaced and the assembly retried from the last commit
                }
                store.deletePrefix(task.resultsPrefix()); // a failed job shows no half-written results
                result = new JobProgress.TaskFailed(task.jobId(), "assemble", "results could not be assembled: " + Failures.reason(e));
            }
        }
        context.forward(new Record<>(record.key(), result, context.currentSystemTimeMs()), JobTopology.PROGRESS_SINK);
    }
}
