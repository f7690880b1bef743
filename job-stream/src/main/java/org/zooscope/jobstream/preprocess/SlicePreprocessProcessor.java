package org.zooscope.jobstream.preprocess;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.zooscope.core.dataset.DatasetReader;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.SliceStats;
import org.zooscope.core.events.SliceTask;
import org.zooscope.core.failure.Failures;
import org.zooscope.core.rescale.PlaneSize;
import org.zooscope.core.rescale.Resampler;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.store.UploadPlanes;
import org.zooscope.jobstream.config.PlanSettings;
import org.zooscope.jobstream.serde.MalformedRecord;
import org.zooscope.jobstream.topology.JobTopology;
import org.zooscope.jobstream.topology.WorkCommits;

/**
 * Preprocesses one slice per record: reads the upload's plane, in whatever type it is stored (or a hosted dataset's
 * box of one slice), enhances it when the job asks for it, writes the model-ready plane under a deterministic key
 * in the encoding the key names (float32 when enhanced, else the input's own sample type), and its copies resampled for models trained at another pixel size) and reports its statistics. One slice is
 * bounded work (a few hundred
 * milliseconds for a megapixel), so it runs on the stream thread.
 */
public final class SlicePreprocessProcessor implements Processor<String, Object, String, Object> {
    private final ObjectStore store;
    private final SliceEnhancer enhancer;
    private final PlanSettings settings;
    /** Readers of the hosted datasets this thread reads from (each caches its arrays' metadata). */
    private final java.util.Map<String, DatasetReader> datasets = new java.util.HashMap<>();
    private ProcessorContext<String, Object> context;

    public SlicePreprocessProcessor(ObjectStore store, SliceEnhancer enhancer, PlanSettings settings) {
        this.store = store;
        this.enhancer = enhancer;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Object> record) {
        Object v = record.value();
        if (v instanceof MalformedRecord m) {
            forward(record.key(), new JobProgress.TaskFailed(record.key(), "preprocess", "unreadable slice task: " + m.reason()));
            return;
        }
        SliceTask task = (SliceTask) v;
        JobProgress result;
        try {
            SliceTask.FromDataset ds = task.dataset();
            float[] plane = ds == null
                    ? UploadPlanes.read(store, task.source(), task.width() * task.height())
                    : datasets.computeIfAbsent(ds.datasetId(), id -> new DatasetReader(store, id))
                            .readBox(0, ds.x(), ds.y(), ds.z(), task.width(), task.height());
            double lo;
            double hi;
            if (task.enhance() && ds != null && ds.enhancement() != null) {
                plane = enhancer.enhance(plane, task.width(), task.height(), task.sourceType(), ds.enhancement());
                lo = enhancer.outputRange()[0];
                hi = enhancer.outputRange()[1];
            } else if (task.enhance()) {
                plane = enhancer.enhance(plane, task.width(), task.height(), task.sourceType());
                lo = enhancer.outputRange()[0];
                hi = enhancer.outputRange()[1];
            } else {
                lo = task.sourceMin();
                hi = task.sourceMax();
            }
            store.put(task.targetKey(), PlaneCodec.encode(task.targetKey(), plane), "application/octet-stream");
            for (PlaneSize size : task.resampled()) {
                // the whole slice at once: no tile seams in the resampling, and the statistics stay the input's own
                store.put(StorageKeys.Jobs.resampledInput(task.jobId(), size, task.z()), PlaneCodec.encode(
                        Resampler.resample(plane, task.width(), task.height(), size.width(), size.height())),
                        "application/octet-stream");
            }
            result = new JobProgress.SliceDone(task.jobId(), task.z(), SliceStats.of(plane, lo, hi, settings.histogramBins()));
        } catch (RuntimeException e) {
            if (Failures.isRetriable(e)) {
                throw e; // the stream thread is replaced and the slice retried from the last commit
            }
            result = new JobProgress.TaskFailed(task.jobId(), "preprocess slice " + task.z(),
                    "slice " + task.z() + " could not be preprocessed: " + Failures.reason(e));
        }
        forward(task.jobId(), result);
    }

    private void forward(String jobId, JobProgress p) {
        WorkCommits.forward(context, new Record<>(jobId, p, context.currentSystemTimeMs()), JobTopology.PROGRESS_SINK);
    }
}
