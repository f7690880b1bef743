package org.zooscope.core.events;

import java.util.List;

/**
 * Every Kafka topic Zooscope uses, with its partition count and clean-up policy: the one place topic names live.
 *
 * <p>Keys are UTF-8 strings, values are JSON written by {@link EventJson}. Topics whose key is the job id are
 * co-partitioned, so one job's events meet the same stream task. Only {@link #JOBS_COMPLETED} and {@link #JOBS_STATUS}
 * are public contract; the others are internal and may change.
 */
public final class Topics {

    /** Job requests from the gateway. Key: job id. Value: {@link JobRequested}. */
    public static final Topic<JobRequested> JOBS_REQUESTED = new Topic<>("zooscope.jobs.requested", 6, false, JobRequested.class);
    /**
     * The one queue of jobs: a single partition, so admission has one order across every partition of the job topics.
     * Key: {@link Admission#KEY}. Value: {@link Admission}.
     */
    public static final Topic<Admission> JOBS_ADMISSION = new Topic<>("zooscope.jobs.admission", 1, false, Admission.class);
    /** Cancellations from the gateway. Key: job id. Value: {@link JobCancelRequested}. */
    public static final Topic<JobCancelRequested> JOBS_CONTROL = new Topic<>("zooscope.jobs.control", 6, false, JobCancelRequested.class);
    /** One preprocessing task per slice. Key: job id. Value: {@link SliceTask}. */
    public static final Topic<SliceTask> SLICES_TASKS = new Topic<>("zooscope.slices.tasks", 6, false, SliceTask.class);
    /** One inference task per tile, model and slice. Key: {@code jobId/model/z/tile} to spread load. Value: {@link TileTask}. */
    public static final Topic<TileTask> TILES_TASKS = new Topic<>("zooscope.tiles.tasks", 6, false, TileTask.class);
    /** Progress from preprocessing and workers. Key: job id. Value: {@link JobProgress}. */
    public static final Topic<JobProgress> JOBS_PROGRESS = new Topic<>("zooscope.jobs.progress", 6, false, JobProgress.class);
    /** One assembly task per slice once its tiles are done. Key: {@code jobId/z}. Value: {@link SliceAssembleTask}. */
    public static final Topic<SliceAssembleTask> SLICES_ASSEMBLE = new Topic<>("zooscope.slices.assemble", 6, false, SliceAssembleTask.class);
    /** One assembly task per job once all its slices are assembled. Key: job id. Value: {@link AssembleTask}. */
    public static final Topic<AssembleTask> JOBS_ASSEMBLE = new Topic<>("zooscope.jobs.assemble", 6, false, AssembleTask.class);
    /** Tasks that failed for good, for inspection. Key: as the task's. Value: {@link DeadLetter}. */
    public static final Topic<DeadLetter> TILES_DLQ = new Topic<>("zooscope.tiles.dlq", 1, false, DeadLetter.class);
    /** Public contract: latest status per job (compacted). Key: job id. Value: {@link JobStatus}. */
    public static final Topic<JobStatus> JOBS_STATUS = new Topic<>("zooscope.jobs.status", 6, true, JobStatus.class);
    /** Public contract: one final event per job. Key: job id. Value: {@link JobCompleted}. */
    public static final Topic<JobCompleted> JOBS_COMPLETED = new Topic<>("zooscope.jobs.completed", 3, false, JobCompleted.class);
    /** Models published to the zoo (compacted). Key: model id. Value: {@link ModelRegistered}. */
    public static final Topic<ModelRegistered> MODELS_REGISTERED = new Topic<>("zooscope.models.registered", 1, true, ModelRegistered.class);

    /** Hosted datasets (compacted). Key: dataset id. Value: {@link DatasetRegistered}; a null value removes one. */
    public static final Topic<DatasetRegistered> DATASETS_REGISTERED = new Topic<>("zooscope.datasets.registered", 1, true, DatasetRegistered.class);

    public static final List<Topic<?>> ALL = List.of(JOBS_REQUESTED, JOBS_ADMISSION, JOBS_CONTROL, SLICES_TASKS, TILES_TASKS,
            JOBS_PROGRESS, SLICES_ASSEMBLE, JOBS_ASSEMBLE, TILES_DLQ, JOBS_STATUS, JOBS_COMPLETED, MODELS_REGISTERED, DATASETS_REGISTERED);

    private Topics() {
    }

    /**
     * A topic: its name, its partitions, whether it is compacted, and the type of its values — so a consumer reads a
     * topic's records as what its producers write, not as a class named a second time.
     */
    public record Topic<V>(String name, int partitions, boolean compacted, Class<V> valueType) {
        public Topic {
            if (name == null || name.isBlank() || partitions < 1 || valueType == null) {
                throw new IllegalArgumentException("bad topic definition: " + name + " with " + partitions
                        + " partitions of " + valueType);
            }
        }

        /** A record's value, as JSON written by {@link EventJson}. */
        public V value(byte[] json) {
            return EventJson.fromBytes(json, valueType);
        }
    }
}
