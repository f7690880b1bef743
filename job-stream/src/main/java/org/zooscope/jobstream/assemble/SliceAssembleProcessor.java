package org.zooscope.jobstream.assemble;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.SliceAssembleTask;
import org.zooscope.core.failure.Failures;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.jobstream.plan.Planner;
import org.zooscope.jobstream.serde.MalformedRecord;
import org.zooscope.jobstream.topology.JobTopology;

/** Runs the {@link SliceAssembler} for one slice and reports the outcome to the job's gather stage. */
public final class SliceAssembleProcessor implements Processor<String, Object, String, Object> {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SliceAssembleProcessor.class);
    private final ObjectStore store;
    private final SliceAssembler assembler;
    private ProcessorContext<String, Object> context;

    public SliceAssembleProcessor(ObjectStore store) {
        this.store = store;
        this.assembler = new SliceAssembler(store);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Object> record) {
        JobProgress result;
        String jobId;
        if (record.value() instanceof MalformedRecord m) {
            // the key is jobId/z: the job is told, so it fails instead of waiting for this slice
            jobId = record.key() == null ? null : record.key().split("/", 2)[0];
            result = new JobProgress.TaskFailed(jobId, "assemble slice", "unreadable slice assembly task: " + m.reason());
        } else {
            SliceAssembleTask task = (SliceAssembleTask) record.value();
            jobId = task.job().jobId();
            if (store.size(Planner.cancelMarker(jobId)).isPresent()) {
                return; // cancelled: write no further results
            }
            long t0 = System.nanoTime();
            try {
                assembler.assemble(task.job(), task.z());
                result = new JobProgress.SliceAssembled(jobId, task.z(), (System.nanoTime() - t0) / 1e9);
                log.debug("job {}: slice {} assembled in {} ms", jobId, task.z(), (System.nanoTime() - t0) / 1_000_000);
            } catch (RuntimeException e) {
                if (Failures.isRetriable(e)) {
                    throw e; // the stream thread is replaced and the slice retried from the last commit
                }
                result = new JobProgress.TaskFailed(jobId, "assemble slice " + task.z(),
                        "slice " + task.z() + " could not be assembled: " + Failures.reason(e));
            }
        }
        if (jobId != null) {
            context.forward(new Record<>(jobId, result, context.currentSystemTimeMs()), JobTopology.PROGRESS_SINK);
        }
    }
}
