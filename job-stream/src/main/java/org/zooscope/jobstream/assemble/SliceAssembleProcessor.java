package org.zooscope.jobstream.assemble;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.SliceAssembleTask;
import org.zooscope.core.store.ObjectStore;

/** Runs the {@link SliceAssembler} for one slice, as soon as its tiles are done. */
public final class SliceAssembleProcessor extends AssemblyStep<SliceAssembleTask> {
    private static final Logger log = LoggerFactory.getLogger(SliceAssembleProcessor.class);
    private final SliceAssembler assembler;

    public SliceAssembleProcessor(ObjectStore store, RecentEnsembles recent) {
        super(store, SliceAssembleTask.class);
        this.assembler = new SliceAssembler(store, recent);
    }

    @Override
    String jobId(SliceAssembleTask task) {
        return task.job().jobId();
    }

    @Override
    String name(SliceAssembleTask task) {
        return "assembling slice " + task.z();
    }

    @Override
    JobProgress run(SliceAssembleTask task) {
        long t0 = System.nanoTime();
        assembler.assemble(task);
        double seconds = (System.nanoTime() - t0) / 1e9;
        log.debug("job {}: slice {} assembled in {} s", task.job().jobId(), task.z(), seconds);
        return new JobProgress.SliceAssembled(task.job().jobId(), task.z(), seconds);
    }
}
