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
    public static final Topic JOBS_REQUESTED = new Topic("zooscope.jobs.requested", 6, false);
    /**
     * The one queue of jobs: a single partition, so admission has one order across every partition of the job topics.
     * Key: {@link Admission#KEY}. Value: {@link Admission}.
     */
    public static final Topic JOBS_ADMISSION = new Topic("zooscope.jobs.admission", 1, false);
    /** Cancellations from the gateway. Key: job id. Value: {@link JobCancelRequested}. */
    public static final Topic JOBS_CONTROL = new Topic("zooscope.jobs.control", 6, false);
    /** One preprocessing task per slice. Key: job id. Value: {@link SliceTask}. */
    public static final Topic SLICES_TASKS = new Topic("zooscope.slices.tasks", 6, false);
    /** One inference task per tile, model and slice. Key: {@code jobId/model/z/tile} to spread load. Value: {@link TileTask}. */
    public static final Topic TILES_TASKS = new Topic("zooscope.tiles.tasks", 6, false);
    /** Progress from preprocessing and workers. Key: job id. Value: {@link JobProgress}. */
    public static final Topic JOBS_PROGRESS = new Topic("zooscope.jobs.progress", 6, false);
    /** One assembly task per slice once its tiles are done. Key: {@code jobId/z}. Value: {@link SliceAssembleTask}. */
    public static final Topic SLICES_ASSEMBLE = new Topic("zooscope.slices.assemble", 6, false);
    /** One assembly task per job once all its slices are assembled. Key: job id. Value: {@link AssembleTask}. */
    public static final Topic JOBS_ASSEMBLE = new Topic("zooscope.jobs.assemble", 6, false);
    /** Tasks that failed for good, for inspection. Key: as the task's. Value: {@link DeadLetter}. */
    public static final Topic TILES_DLQ = new Topic("zooscope.tiles.dlq", 1, false);
    /** Public contract: latest status per job (compacted). Key: job id. Value: {@link JobStatus}. */
    public static final Topic JOBS_STATUS = new Topic("zooscope.jobs.status", 6, true);
    /** Public contract: one final event per job. Key: job id. Value: {@link JobCompleted}. */
    public static final Topic JOBS_COMPLETED = new Topic("zooscope.jobs.completed", 3, false);
    /** Models published to the zoo (compacted). Key: model id. Value: {@link ModelRegistered}. */
    public static final Topic MODELS_REGISTERED = new Topic("zooscope.models.registered", 1, true);

    /** Hosted datasets (compacted). Key: dataset id. Value: {@link DatasetRegistered}; a null value removes one. */
    public static final Topic DATASETS_REGISTERED = new Topic("zooscope.datasets.registered", 1, true);

    public static final List<Topic> ALL = List.of(JOBS_REQUESTED, JOBS_ADMISSION, JOBS_CONTROL, SLICES_TASKS, TILES_TASKS,
            JOBS_PROGRESS, SLICES_ASSEMBLE, JOBS_ASSEMBLE, TILES_DLQ, JOBS_STATUS, JOBS_COMPLETED, MODELS_REGISTERED, DATASETS_REGISTERED);

    private Topics() {
    }

    /** A topic: its name, its partitions, and whether it is compacted. */
    public record Topic(String name, int partitions, boolean compacted) {
        public Topic {
            if (name == null || name.isBlank() || partitions < 1) {
                throw new IllegalArgumentException("bad topic definition: " + name + " with " + partitions + " partitions");
            }
        }
    }
}
