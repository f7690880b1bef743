package org.zooscope.jobstream.assemble;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.failure.Failures;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.jobstream.plan.Planner;
import org.zooscope.jobstream.serde.MalformedRecord;
import org.zooscope.jobstream.topology.JobTopology;
import org.zooscope.jobstream.topology.WorkCommits;

/**
 * What the assembly processors share: an unreadable task fails its job, a cancelled job's task is dropped, a retriable
 * failure is rethrown (the stream thread is replaced and the task retried from the last commit), any other failure
 * fails the job with its reason; the outcome goes to the job's gather stage.
 */
abstract class AssemblyStep<T> implements Processor<String, Object, String, Object> {
    protected final ObjectStore store;
    private final Class<T> type;
    private ProcessorContext<String, Object> context;

    AssemblyStep(ObjectStore store, Class<T> type) {
        this.store = store;
        this.type = type;
    }

    abstract String jobId(T task);

    /** Names the task in a failure, e.g. "assemble slice 3". */
    abstract String name(T task);

    abstract JobProgress run(T task);

    /** Clean-up after a fatal failure. */
    void afterFailure(T task) {
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public final void process(Record<String, Object> record) {
        String jobId;
        JobProgress result;
        if (record.value() instanceof MalformedRecord m) {
            // keys are the job id or start with it ("jobId/z"): the job is told, so it fails instead of waiting
            jobId = record.key() == null ? null : record.key().split("/", 2)[0];
            result = new JobProgress.TaskFailed(jobId, "assemble", "unreadable assembly task: " + m.reason());
        } else {
            T task = type.cast(record.value());
            jobId = jobId(task);
            if (store.size(StorageKeys.Jobs.cancelMarker(jobId)).isPresent()) {
                return; // cancelled: write no further results
            }
            try {
                result = run(task);
            } catch (RuntimeException e) {
                if (Failures.isRetriable(e)) {
                    throw e;
                }
                afterFailure(task);
                result = new JobProgress.TaskFailed(jobId, name(task), name(task) + " failed: " + Failures.reason(e));
            }
        }
        if (jobId != null) {
            WorkCommits.forward(context, new Record<>(jobId, result, context.currentSystemTimeMs()), JobTopology.PROGRESS_SINK);
        }
    }
}
