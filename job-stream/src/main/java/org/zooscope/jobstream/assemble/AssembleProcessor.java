package org.zooscope.jobstream.assemble;

import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.store.ObjectStore;

/** Runs the {@link Assembler} for one job (the stacks, once every slice is assembled). */
public final class AssembleProcessor extends AssemblyStep<AssembleTask> {
    private final Assembler assembler;

    public AssembleProcessor(ObjectStore store, RecentEnsembles recent) {
        super(store, AssembleTask.class);
        this.assembler = new Assembler(store, recent);
    }

    @Override
    String jobId(AssembleTask task) {
        return task.jobId();
    }

    @Override
    String name(AssembleTask task) {
        return "assembling the results";
    }

    @Override
    JobProgress run(AssembleTask task) {
        long t0 = System.nanoTime();
        return new JobProgress.Assembled(task.jobId(), assembler.assemble(task), (System.nanoTime() - t0) / 1e9);
    }

    @Override
    void afterFailure(AssembleTask task) {
        store.deletePrefix(task.resultsPrefix()); // a failed job shows no half-written results
    }
}
