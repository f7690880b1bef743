package org.zooscope.jobstream.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.zooscope.core.events.Admission;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobCancelRequested;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.SliceAssembleTask;
import org.zooscope.core.events.SliceTask;
import org.zooscope.core.events.Topics;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.jobstream.admission.AdmissionProcessor;
import org.zooscope.jobstream.admission.AdmissionState;
import org.zooscope.jobstream.assemble.AssembleProcessor;
import org.zooscope.jobstream.assemble.RecentEnsembles;
import org.zooscope.jobstream.assemble.SliceAssembleProcessor;
import org.zooscope.jobstream.config.PlanSettings;
import org.zooscope.jobstream.jobstate.JobProcessor;
import org.zooscope.jobstream.jobstate.JobRecord;
import org.zooscope.jobstream.preprocess.SliceEnhancer;
import org.zooscope.jobstream.preprocess.SlicePreprocessProcessor;
import org.zooscope.jobstream.serde.JsonSerde;
import org.zooscope.jobstream.serde.LenientJsonDeserializer;

/**
 * The whole job pipeline as one topology, built by a pure function of its collaborators:
 * <pre>
 * jobs.requested ─┐
 * jobs.progress ──┼─▶ jobs (state machine, store "jobs") ─▶ slices.tasks, tiles.tasks, jobs.assemble,
 * jobs.control ───┘        ▲ reads global store "models"        slices.assemble, jobs.status, jobs.completed,
 *                                                                jobs.admission
 * jobs.admission ─▶ admit (one partition, store "admission") ─▶ jobs.progress   (admitted / queued position)
 * slices.tasks ──▶ preprocess ──────▶ jobs.progress
 * slices.assemble ─▶ assemble-slice ▶ jobs.progress   (stitch + overlay of one slice, as soon as its tiles are done)
 * jobs.assemble ─▶ assemble ────────▶ jobs.progress   (the stacks, once every slice is assembled)
 * models.registered ─▶ global store "models"
 * </pre>
 * The gpu-worker (outside) turns tiles.tasks into jobs.progress.
 */
public final class JobTopology {
    public static final String JOBS_STORE = "jobs";
    public static final String MODELS_STORE = "models";
    public static final String SLICE_TASKS_SINK = "slice-tasks-sink";
    public static final String TILE_TASKS_SINK = "tile-tasks-sink";
    public static final String SLICE_ASSEMBLE_SINK = "slice-assemble-sink";
    public static final String ASSEMBLE_SINK = "assemble-sink";
    public static final String STATUS_SINK = "status-sink";
    public static final String COMPLETED_SINK = "completed-sink";
    public static final String PROGRESS_SINK = "progress-sink";
    public static final String ADMISSION_STORE = "admission";
    public static final String ADMISSION_SINK = "admission-sink";
    public static final String ADMISSION_ANSWERS_SINK = "admission-answers-sink";

    private JobTopology() {
    }

    public static Topology build(ObjectStore store, SliceEnhancer enhancer, PlanSettings settings) {
        Topology t = new Topology();
        StringDeserializer keys = new StringDeserializer();
        StringSerializer keyOut = new StringSerializer();
        Serializer<Object> json = (topic, value) -> value == null ? null : EventJson.toBytes(value);

        // the zoo: every registered model, on every instance
        t.addGlobalStore(Stores.timestampedKeyValueStoreBuilder(Stores.inMemoryKeyValueStore(MODELS_STORE),
                                Serdes.String(), JsonSerde.of(ModelRegistered.class)).withLoggingDisabled(),
                "models-source", keys, JsonSerde.of(Topics.MODELS_REGISTERED.valueType()).deserializer(),
                Topics.MODELS_REGISTERED.name(), "models-updater", ModelsUpdater::new);

        // the job state machine: requests, progress and cancellations, all keyed by job id
        t.addSource("requests", keys, LenientJsonDeserializer.of(Topics.JOBS_REQUESTED), Topics.JOBS_REQUESTED.name());
        t.addSource("progress", keys, LenientJsonDeserializer.of(Topics.JOBS_PROGRESS), Topics.JOBS_PROGRESS.name());
        t.addSource("control", keys, LenientJsonDeserializer.of(Topics.JOBS_CONTROL), Topics.JOBS_CONTROL.name());
        t.addProcessor("jobs", () -> new JobProcessor(store, settings), "requests", "progress", "control");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOBS_STORE), Serdes.String(),
                JsonSerde.of(JobRecord.class)), "jobs");
        t.addSink(SLICE_TASKS_SINK, Topics.SLICES_TASKS.name(), keyOut, json, "jobs");
        t.addSink(TILE_TASKS_SINK, Topics.TILES_TASKS.name(), keyOut, json, "jobs");
        t.addSink(SLICE_ASSEMBLE_SINK, Topics.SLICES_ASSEMBLE.name(), keyOut, json, "jobs");
        t.addSink(ASSEMBLE_SINK, Topics.JOBS_ASSEMBLE.name(), keyOut, json, "jobs");
        t.addSink(STATUS_SINK, Topics.JOBS_STATUS.name(), keyOut, json, "jobs");
        t.addSink(COMPLETED_SINK, Topics.JOBS_COMPLETED.name(), keyOut, json, "jobs");
        t.addSink(ADMISSION_SINK, Topics.JOBS_ADMISSION.name(), keyOut, json, "jobs");

        // the one queue: planned jobs wait on a single partition and are admitted in order, at most so many at once
        t.addSource("admission", keys, LenientJsonDeserializer.of(Topics.JOBS_ADMISSION), Topics.JOBS_ADMISSION.name());
        t.addProcessor("admit", () -> new AdmissionProcessor(settings.maxRunningJobs()), "admission");
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ADMISSION_STORE), Serdes.String(),
                JsonSerde.of(AdmissionState.class)), "admit");
        t.addSink(ADMISSION_ANSWERS_SINK, Topics.JOBS_PROGRESS.name(), keyOut, json, "admit");

        // per-slice preprocessing, per-slice assembly (as each slice's tiles are done) and the final per-job assembly
        // of the stacks, each reporting back on the progress topic
        t.addSource("slice-tasks", keys, LenientJsonDeserializer.of(Topics.SLICES_TASKS), Topics.SLICES_TASKS.name());
        t.addProcessor("preprocess", () -> new SlicePreprocessProcessor(store, enhancer, settings), "slice-tasks");
        t.addSource("slice-assemble-tasks", keys, LenientJsonDeserializer.of(Topics.SLICES_ASSEMBLE),
                Topics.SLICES_ASSEMBLE.name());
        // one per topology, shared by its threads: the final assembly reads what this instance's slice assemblies kept
        RecentEnsembles recent = new RecentEnsembles(RecentEnsembles.DEFAULT_BYTES);
        t.addProcessor("assemble-slice", () -> new SliceAssembleProcessor(store, recent), "slice-assemble-tasks");
        t.addSource("assemble-tasks", keys, LenientJsonDeserializer.of(Topics.JOBS_ASSEMBLE), Topics.JOBS_ASSEMBLE.name());
        t.addProcessor("assemble", () -> new AssembleProcessor(store, recent), "assemble-tasks");
        t.addSink(PROGRESS_SINK, Topics.JOBS_PROGRESS.name(), keyOut, json, "preprocess", "assemble-slice", "assemble");
        return t;
    }

    /** Keeps the global models store equal to the compacted models topic. */
    static final class ModelsUpdater implements Processor<String, ModelRegistered, Void, Void> {
        private TimestampedKeyValueStore<String, ModelRegistered> models;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            models = context.getStateStore(MODELS_STORE);
        }

        @Override
        public void process(Record<String, ModelRegistered> record) {
            if (record.value() == null) {
                models.delete(record.key());
            } else {
                models.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
            }
        }
    }
}
