package org.zooscope.jobstream.jobstate;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.Admission;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetReader;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.InputWindow;
import org.zooscope.core.events.JobCancelRequested;
import org.zooscope.core.events.JobCompleted;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.SliceAssembleTask;
import org.zooscope.core.events.SliceTask;
import org.zooscope.core.events.StoredPlane;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.rescale.PlaneSize;
import org.zooscope.core.rescale.Rescale;
import org.zooscope.jobstream.config.PlanSettings;
import org.zooscope.jobstream.plan.DatasetInputs;
import org.zooscope.jobstream.plan.ModelPlan;
import org.zooscope.jobstream.plan.Planner;
import org.zooscope.jobstream.serde.MalformedRecord;
import org.zooscope.jobstream.topology.JobTopology;
import org.zooscope.jobstream.topology.WorkCommits;

/**
 * The job's state machine, one per job id, over the {@code jobs} store: plans a request into slice tasks, gathers
 * slices and fans out tile tasks, gathers tiles and asks for assembly, and ends the job (succeeded, failed or
 * cancelled) with a final status and exactly one completion event. Records arrive from the request, progress and
 * control topics, all keyed by job id.
 */
public final class JobProcessor implements Processor<String, Object, String, Object> {
    private static final Logger log = LoggerFactory.getLogger(JobProcessor.class);

    private final ObjectStore store;
    private final PlanSettings settings;
    private final Map<String, ModelDescription> descriptions = new HashMap<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, JobRecord> jobs;
    private TimestampedKeyValueStore<String, ModelRegistered> models;
    private JobTimers timers;

    public JobProcessor(ObjectStore store, PlanSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.jobs = context.getStateStore(JobTopology.JOBS_STORE);
        this.models = context.getStateStore(JobTopology.MODELS_STORE);
        this.timers = new JobTimers(settings.retention());
        try (var it = jobs.all()) {
            it.forEachRemaining(kv -> {
                if (kv.value != null) {
                    timers.track(kv.value);
                }
            });
        }
        context.schedule(java.time.Duration.ofSeconds(1), org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                this::sweep);
    }

    @Override
    public void process(Record<String, Object> record) {
        String jobId = record.key();
        if (jobId == null) {
            log.warn("dropping a record without a job id: {}", record.value());
            return;
        }
        Object value = record.value();
        if (value instanceof JobRequested r) {
            onRequest(r);
        } else if (value instanceof MalformedRecord m) {
            onMalformed(jobId, m);
        } else {
            JobRecord job = jobs.get(jobId);
            if (job == null || job.state().isFinal()) {
                return; // late or duplicate work of an ended job: nothing more to do
            }
            if (value instanceof JobProgress.SliceDone s) {
                onSliceDone(job, s);
            } else if (value instanceof JobProgress.TileDone t) {
                onTileDone(job, t);
            } else if (value instanceof JobProgress.SliceAssembled a) {
                onSliceAssembled(job, a);
            } else if (value instanceof JobProgress.Assembled a) {
                log.info("job {} assembled in {} s", jobId, String.format("%.2f", a.seconds()));
                finish(job, JobState.SUCCEEDED, a.results(), null);
            } else if (value instanceof JobProgress.Admitted) {
                if (job.isWaiting()) {
                    start(job);
                }
            } else if (value instanceof JobProgress.Queued q) {
                if (job.isWaiting()) {
                    JobRecord placed = job.withQueuePosition(q.position());
                    save(placed);
                    emitStatus(placed);
                }
            } else if (value instanceof JobProgress.TaskFailed f) {
                finish(job, JobState.FAILED, Map.of(), f.reason());
            } else if (value instanceof JobCancelRequested) {
                store.put(StorageKeys.Jobs.cancelMarker(jobId), new byte[0], "text/plain");
                finish(job, JobState.CANCELLED, Map.of(), "cancelled by its owner");
            }
        }
    }

    private void onRequest(JobRequested r) {
        if (jobs.get(r.jobId()) != null) {
            return; // a redelivered request
        }
        Instant now = now();
        JobRecord queued = JobRecord.planning(r, now);
        UploadedVolume volume;
        UploadedVolume upload = null; // the whole upload, when the job runs on some of its slices
        DatasetCard dataset = null;
        List<ModelPlan> plans = new ArrayList<>();
        try {
            if (r.input().isDataset()) {
                DatasetReader reader = new DatasetReader(store, r.input().datasetId());
                dataset = reader.card();
                volume = DatasetInputs.regionVolume(r, dataset, reader.stats());
            } else {
                volume = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(r.input().uploadId())), UploadedVolume.class);
                org.zooscope.core.volume.VoxelSize stated = r.settings().voxelSize();
                if (stated != null) {
                    // the request's own statement of the pixel size: planning, measurements and the OME-Zarr use it
                    volume = volume.withVoxelSize(stated.x(), stated.y(), stated.z(), stated.unit());
                }
                if (r.input().isUploadSlices()) {
                    upload = volume;
                }
                volume = r.input().resultShape(volume);
            }
        } catch (ObjectStore.NoSuchObjectException e) {
            finish(queued, JobState.FAILED, Map.of(), r.input().isDataset()
                    ? "dataset " + r.input().datasetId() + " does not exist"
                    : "upload " + r.input().uploadId() + " does not exist");
            return;
        } catch (IllegalArgumentException e) {
            finish(queued, JobState.FAILED, Map.of(), e.getMessage());
            return;
        }
        List<String> problems = new ArrayList<>();
        for (String modelId : r.models()) {
            ValueAndTimestamp<ModelRegistered> m = models.get(modelId);
            if (m == null) {
                problems.add("model '" + modelId + "' is not in the zoo");
                continue;
            }
            try {
                ModelDescription d = description(m.value().packageKey());
                // over a dataset: the full run's tiles (planned over the whole volume), those the region needs, so a
                // region shows exactly what the full run gives there
                ModelPlan plan = dataset == null
                        ? Planner.plan(m.value().packageKey(), d, volume, r.settings().rescale(), settings)
                        : Planner.plan(m.value().packageKey(), d, dataset.width(), dataset.height(), settings)
                                .windowOver(dataset.width(), dataset.height(),
                                        org.zooscope.core.dataset.DatasetInputRegions.of(r.input(), dataset))
                                .rescaled(Rescale.notApplied(dataset.voxelSize(), d.trainedPixelSize(), d.id(),
                                        "a hosted dataset's region runs at the dataset's own pixel size, as its full"
                                                + " run does"), null);
                plans.add(plan);
            } catch (InvalidModelPackageException e) {
                problems.add("model '" + modelId + "' has an invalid description: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                problems.add("model '" + modelId + "' cannot run on this image: " + e.getMessage());
            }
        }
        // some slices of an upload read their neighbours as z-frames, as a run over all of them would
        InputWindow window = dataset != null ? DatasetInputs.window(r.input(), dataset, plans)
                : upload == null ? null : InputWindow.ofUploadSlices(r.input().roi(),
                        Planner.zContext(plans), upload.width(), upload.height(),
                        upload.depth());
        JobRecord planned = queued.planned(volume, plans, window);
        if (!problems.isEmpty()) {
            finish(planned, JobState.FAILED, Map.of(), String.join("; ", problems));
            return;
        }
        save(planned);
        emitStatus(planned);
        // the one queue of the service decides when it runs (AdmissionProcessor); it answers on the progress topic
        WorkCommits.forward(context, new Record<>(Admission.KEY, new Admission.Waiting(r.jobId(), r.submittedAt()),
                context.currentSystemTimeMs()), JobTopology.ADMISSION_SINK);
    }

    /** Starts a planned job: a deadline from its expected runtime (or the user's), then one task per slice. */
    private void start(JobRecord planned) {
        Instant now = now();
        UploadedVolume volume = planned.volume();
        JobRecord running = planned.started(now, now.plus(deadlineOf(planned)));
        save(running);
        emitStatus(running);
        log.info("job {} started: {} slice(s), {} tile task(s)", planned.jobId(), volume.depth(), planned.tilesTotal());
        InputWindow w = planned.window();
        // each plane a model runs on besides the input's own, written once per slice whatever the models sharing it
        List<PlaneSize> resampled = planned.models().stream().map(ModelPlan::plane).filter(java.util.Objects::nonNull)
                .distinct().toList();
        if (w != null && !w.isDataset()) {
            // some slices of an upload: the box's slices, neighbours included, from the upload's own planes
            UploadedVolume upload = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(
                    planned.request().input().uploadId())), UploadedVolume.class);
            for (int bz = 0; bz < w.boxDepth(); bz++) {
                preprocess(planned, bz, upload.plane(w.boxZ() + bz), resampled);
            }
            return;
        }
        if (w != null) {
            // the dataset's box around the region, slice by slice, enhanced with the dataset's own parameters
            org.zooscope.core.enhance.EnhanceParameters enhancement = planned.request().settings().enhance()
                    ? new DatasetReader(store, w.datasetId()).stats().enhancement() : null;
            for (int bz = 0; bz < w.boxDepth(); bz++) {
                SliceTask task = new SliceTask(planned.jobId(), bz, null, inputKey(planned, bz),
                        w.boxWidth(), w.boxHeight(), planned.request().settings().enhance(), volume.dataType(),
                        volume.min(), volume.max(), new SliceTask.FromDataset(w.datasetId(), w.boxX(), w.boxY(),
                        w.boxZ() + bz, enhancement));
                WorkCommits.forward(context, new Record<>(planned.jobId(), task, context.currentSystemTimeMs()), JobTopology.SLICE_TASKS_SINK);
            }
            return;
        }
        for (int z = 0; z < volume.depth(); z++) {
            preprocess(planned, z, volume.plane(z), resampled);
        }
    }

    /** The task that preprocesses input slice {@code z} of the job from {@code source}, an upload's stored plane. */
    private void preprocess(JobRecord job, int z, StoredPlane source, List<PlaneSize> resampled) {
        UploadedVolume v = job.volume();
        SliceTask task = new SliceTask(job.jobId(), z, source, inputKey(job, z), v.width(), v.height(),
                job.request().settings().enhance(), v.dataType(), v.min(), v.max(), null, resampled);
        WorkCommits.forward(context, new Record<>(job.jobId(), task, context.currentSystemTimeMs()), JobTopology.SLICE_TASKS_SINK);
    }

    private java.time.Duration deadlineOf(JobRecord job) {
        Integer asked = job.request().settings().deadlineSeconds();
        return asked != null ? java.time.Duration.ofSeconds(asked) : settings.deadline(job.tilesTotal(), job.volume().depth());
    }

    /** The stream's clock (the mock clock under TopologyTestDriver), so deadlines are testable. */
    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    /**
     * Fails running jobs past their deadline and forgets ended jobs past their retention, deleting their intermediate
     * objects with them (the results stay).
     */
    private void sweep(long wallClockMs) {
        Instant now = Instant.ofEpochMilli(wallClockMs);
        // every record is written through save(), so the timers know exactly which jobs are due
        for (String id : timers.overdue(now)) {
            JobRecord j = jobs.get(id);
            if (j == null) {
                timers.forget(id);
                continue;
            }
            finish(j, JobState.FAILED, Map.of(), "the job did not finish within its deadline of "
                    + deadlineOf(j).toSeconds() + " s (" + j.tilesDoneCount() + " of " + j.tilesTotal()
                    + " tiles done): workers may be down or overloaded; try again later or with fewer models");
        }
        for (String id : timers.expired(now)) {
            StorageKeys.Jobs.scratch(id).forEach(store::deletePrefix);
            jobs.delete(id);
            timers.forget(id);
        }
    }

    /** Stores the job's new record and notes what the sweep must check it for. */
    private void save(JobRecord job) {
        jobs.put(job.jobId(), job);
        timers.track(job);
    }

    private void onSliceDone(JobRecord job, JobProgress.SliceDone s) {
        JobRecord next = job.withSliceDone(s.z(), s.stats(), now());
        if (next == job) {
            return;
        }
        if (next.slicesDoneCount() < next.inputDepth()) {
            save(next);
            emitStatus(next);
            return;
        }
        if (next.window() != null && next.window().isDataset()) {
            // normalised with the dataset's whole-volume statistics, never the region's: a region shows what the
            // full run gives there
            next = next.withStats(DatasetInputs.statistics(new DatasetReader(store, next.window().datasetId()).stats(),
                    next.request().settings().enhance()));
        }
        List<ModelPlan> resolved = new ArrayList<>();
        try {
            for (ModelPlan m : next.models()) {
                resolved.add(m.withInputStatistics(next.stats()));
            }
        } catch (IllegalArgumentException e) {
            finish(next, JobState.FAILED, Map.of(), e.getMessage());
            return;
        }
        JobRecord inference = next.withInference(resolved, now());
        save(inference);
        emitStatus(inference);
        fanOutTiles(inference);
    }

    private void fanOutTiles(JobRecord job) {
        UploadedVolume v = job.volume();
        InputWindow w = job.window();
        log.info("job {}: slices preprocessed, {} tile task(s) out", job.jobId(), job.tilesTotal());
        for (ModelPlan m : job.models()) {
            for (int z = 0; z < v.depth(); z++) {
                // z-frames from the input slices: a dataset box holds the region's neighbours (mirrored only at the
                // volume's own ends)
                List<String> inputs = Planner.inputKeys(slice -> m.plane() == null ? inputKey(job, slice)
                                : StorageKeys.Jobs.resampledInput(job.jobId(), m.plane(), slice),
                        w == null ? z : w.boxSlice(z), job.inputDepth(), m.frames());
                TileGrid grid = m.plane() == null ? m.layout().gridOver(v.width(), v.height())
                        : m.layout().gridOver(m.plane().width(), m.plane().height());
                for (int t = 0; t < m.tiles(); t++) {
                    TileTask task = new TileTask(job.jobId(), m.modelId(), m.packageKey(), z, t, inputs, grid.width(),
                            grid.height(), m.layout(), m.inputStatistics(), m.outputChannel(),
                            job.request().settings().augmentation(), StorageKeys.Jobs.tile(job.jobId(), m.modelId(), z, t), 1,
                            // an upload's slices span the whole plane: tiles read it (or its resampled copy) as a
                            // job without a window does; only a dataset's box is cut around the region
                            w != null && w.isDataset() ? w : null);
                    WorkCommits.forward(context, new Record<>(task.partitionKey(), task, context.currentSystemTimeMs()),
                            JobTopology.TILE_TASKS_SINK);
                }
            }
        }
    }

    /**
     * When each job last published a status while its tiles come in: at most one per progress interval, which is also
     * how often such statuses are committed (more in one transaction would only be seen together). Final states are
     * never held back. In memory only: after a restart the first tile of a job simply emits at once.
     */
    private final java.util.Map<String, Long> lastTileStatusMs = new java.util.HashMap<>();

    private void onTileDone(JobRecord job, JobProgress.TileDone t) {
        JobRecord next = job.withTileDone(job.tileBit(t.modelId(), t.z(), t.tileIndex()), now());
        if (next == job) {
            return;
        }
        if (next.sliceTilesDone(t.z())) {
            // the slice is stitched and rendered while the other slices' tiles are still being inferred
            SliceAssembleTask task = new SliceAssembleTask(assembleTask(next), t.z(),
                    inputKey(next, next.window() == null ? t.z() : next.window().boxSlice(t.z())));
            WorkCommits.forward(context, new Record<>(task.partitionKey(), task, context.currentSystemTimeMs()),
                    JobTopology.SLICE_ASSEMBLE_SINK);
        }
        if (next.tilesDoneCount() < next.tilesTotal()) {
            save(next);
            // a status per tile would make every tile a status record, a catalog update and an SSE event, which on a
            // small machine competes with inference; a few per second are enough for a progress bar
            long nowMs = context.currentSystemTimeMs();
            Long last = lastTileStatusMs.get(job.jobId());
            if (last == null || nowMs - last >= settings.progressInterval().toMillis()) {
                lastTileStatusMs.put(job.jobId(), nowMs);
                emitStatus(next);
            }
            return;
        }
        lastTileStatusMs.remove(job.jobId());
        JobRecord assembling = next.moveTo(JobStage.ASSEMBLING, now());
        log.info("job {}: all {} tiles done, assembling", job.jobId(), next.tilesTotal());
        save(assembling);
        emitStatus(assembling);
    }

    /** Once every slice is assembled (hence every tile done), the stacks are written from the stitched slices. */
    private void onSliceAssembled(JobRecord job, JobProgress.SliceAssembled a) {
        JobRecord next = job.withSliceAssembled(a.z(), now());
        if (next == job) {
            return;
        }
        save(next);
        if (next.slicesAssembledCount() < next.volume().depth()) {
            return; // no status of its own: the tiles' statuses carry the progress
        }
        emitStatus(next);
        log.info("job {}: all {} slices assembled, writing the stacks", job.jobId(), next.volume().depth());
        WorkCommits.forward(context, new Record<>(job.jobId(), assembleTask(next), context.currentSystemTimeMs()), JobTopology.ASSEMBLE_SINK);
    }

    /**
     * Input slice {@code z}'s model-ready plane, written by the slice's preprocessing (for a job over a dataset, the
     * box's slice): float32 when enhanced; else the input's values in their own sample type (8- and 16-bit inputs
     * hold them exactly), so preprocessing writes and every worker reads a quarter or half of float32's bytes. The
     * upload's own stored planes, in whatever layout, are read by the preprocessing only.
     */
    private static String inputKey(JobRecord job, int z) {
        String type = job.volume().dataType();
        return StorageKeys.Jobs.input(job.jobId(), z, job.request().settings().enhance() || type == null
                ? org.zooscope.core.io.PlaneEncoding.FLOAT32_LE
                : org.zooscope.core.io.PlaneEncoding.storing(
                        org.zooscope.core.volume.DataType.valueOf(type.toUpperCase(java.util.Locale.ROOT))));
    }

    private AssembleTask assembleTask(JobRecord job) {
        UploadedVolume v = job.volume();
        List<AssembleTask.ModelTiles> tiles = job.models().stream().map(m -> new AssembleTask.ModelTiles(m.modelId(),
                m.structure(), m.layout(), m.plane())).toList();
        return new AssembleTask(job.jobId(), v.width(), v.height(), v.depth(), job.request().settings().threshold(),
                tiles, StorageKeys.Jobs.results(job.jobId()),
                job.request().settings().augmentation() != org.zooscope.core.events.Augmentation.NONE,
                StorageKeys.Jobs.stitched(job.jobId()), job.models().stream().map(m -> m.modelId() + "@" + m.version()).toList(),
                job.stats().percentile(0.5), job.stats().percentile(99.5), job.request().settings(), v.voxelSize(),
                job.request().submittedAt(), job.inferenceStartedAt(), job.window());
    }

    private void onMalformed(String jobId, MalformedRecord m) {
        JobRecord job = jobs.get(jobId);
        if (job != null && !job.state().isFinal()) {
            finish(job, JobState.FAILED, Map.of(), "a record of this job could not be read: " + m.reason());
        } else {
            log.warn("unreadable record for job {} on {}: {}", jobId, m.topic(), m.reason());
        }
    }

    private void finish(JobRecord job, JobState state, Map<String, String> results, String reason) {
        Instant now = now();
        JobRecord done = job.finished(state, results, reason, now);
        lastTileStatusMs.remove(job.jobId());
        save(done);
        emitStatus(done);
        if (job.volume() != null) {
            // its place in the queue is free (or, if it was still waiting, it leaves the queue)
            WorkCommits.forward(context, new Record<>(Admission.KEY, new Admission.Released(job.jobId()), context.currentSystemTimeMs()),
                    JobTopology.ADMISSION_SINK);
        }
        Map<String, String> uris = new LinkedHashMap<>();
        results.forEach((name, key) -> uris.put(name.replace(".tif", "").replace('/', '.'), store.uri(key)));
        Map<String, Object> stats = new LinkedHashMap<>();
        if (job.volume() != null) {
            stats.put("slices", job.volume().depth());
            stats.put("width", job.volume().width());
            stats.put("height", job.volume().height());
        }
        stats.put("tiles", job.tilesTotal());
        stats.put("seconds", java.time.Duration.between(job.request().submittedAt(), now).toMillis() / 1000.0);
        if (job.inferenceStartedAt() != null) {
            stats.put("inferenceSeconds", java.time.Duration.between(job.inferenceStartedAt(), now).toMillis() / 1000.0);
        }
        JobCompleted completed = new JobCompleted(job.jobId(), state, now, job.request().models(), uris, stats, reason,
                job.request().input(), job.request().ownerHash(), job.request().settings().augmentation());
        WorkCommits.forward(context, new Record<>(job.jobId(), completed, context.currentSystemTimeMs()), JobTopology.COMPLETED_SINK);
        log.info("job {} {}{}", job.jobId(), state, reason == null ? "" : ": " + reason);
    }

    private void emitStatus(JobRecord job) {
        JobStatus status = job.status();
        WorkCommits.forward(context, new Record<>(job.jobId(), status, context.currentSystemTimeMs()), JobTopology.STATUS_SINK);
    }

    private ModelDescription description(String packageKey) throws InvalidModelPackageException {
        ModelDescription d = descriptions.get(packageKey);
        if (d == null) {
            d = ModelDescriptionParser.parse(new ByteArrayInputStream(store.get(packageKey + "bioimageio.yaml")));
            descriptions.put(packageKey, d);
        }
        return d;
    }
}
