package org.zooscope.jobstream.jobstate;

import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.zooscope.core.events.InputWindow;
import org.zooscope.core.events.JobRequested;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.SliceStats;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.jobstream.plan.ModelPlan;

/**
 * Everything job-stream knows about one job, kept in the {@code jobs} state store: the request, the input's shape,
 * the per-model plans, which slices are preprocessed, which tiles are done and which slices are assembled (bit sets,
 * so a task reported twice counts once), the merged statistics, the state shown to the user, and while it waits its
 * place in the service's one queue (1 = next). {@code volume} is the shape of the job's result (an upload, or the
 * region of a dataset); {@code window}, for a job over a hosted dataset, the box it reads (its input slices).
 */
public record JobRecord(JobRequested request, UploadedVolume volume, List<ModelPlan> models, JobStage stage,
                        double progress, long[] slicesDone, SliceStats stats, long[] tilesDone, int tilesTotal,
                        Instant inferenceStartedAt, Instant updatedAt, Map<String, String> results, String error,
                        Instant deadlineAt, long[] slicesAssembled, Integer queuePosition, InputWindow window) {

    public JobRecord {
        slicesAssembled = slicesAssembled == null ? new long[0] : slicesAssembled; // records stored before the field
    }

    /** A request just received, its input and models not yet looked at. */
    public static JobRecord planning(JobRequested request, Instant now) {
        return new JobRecord(request, null, List.of(), JobStage.PLANNING, 0, new long[0], null, new long[0], 0, null,
                now, Map.of(), null, null, new long[0], null, null);
    }

    /** Planned: its result's shape, each model's tiles and, over a dataset, the box it reads; waiting to be admitted. */
    public JobRecord planned(UploadedVolume shape, List<ModelPlan> plans, InputWindow box) {
        int tiles = plans.stream().mapToInt(p -> p.tiles() * shape.depth()).sum();
        return new JobRecord(request, shape, plans, JobStage.QUEUED, JobStage.QUEUED.startsAt(), slicesDone, stats,
                tilesDone, tiles, inferenceStartedAt, updatedAt, results, error, deadlineAt, slicesAssembled,
                queuePosition, box);
    }

    public String jobId() {
        return request.jobId();
    }

    /** The state the user sees: the stage's. */
    public JobState state() {
        return stage.state();
    }

    /** How many input slices are preprocessed: the upload's, or the dataset box's. */
    public int inputDepth() {
        return window == null ? volume.depth() : window.boxDepth();
    }

    public int slicesDoneCount() {
        return BitSet.valueOf(slicesDone).cardinality();
    }

    public int tilesDoneCount() {
        return BitSet.valueOf(tilesDone).cardinality();
    }

    /** The bit of a tile in {@link #tilesDone}: models in order, then slices, then tiles. */
    public int tileBit(String modelId, int z, int tileIndex) {
        int offset = 0;
        for (ModelPlan m : models) {
            if (m.modelId().equals(modelId)) {
                if (z < 0 || z >= volume.depth() || tileIndex < 0 || tileIndex >= m.tiles()) {
                    return -1;
                }
                return offset + z * m.tiles() + tileIndex;
            }
            offset += m.tiles() * volume.depth();
        }
        return -1;
    }

    /**
     * In the next stage, its progress at least where that stage starts.
     *
     * @throws IllegalStateException for a move backwards or out of a final stage
     */
    public JobRecord moveTo(JobStage next, Instant now) {
        if (!stage.mayMoveTo(next)) {
            throw new IllegalStateException("job " + jobId() + " cannot move from " + stage + " to " + next);
        }
        return new JobRecord(request, volume, models, next, Math.max(progress, next.startsAt()), slicesDone,
                stats, tilesDone, tilesTotal, inferenceStartedAt, now, results, error, deadlineAt, slicesAssembled, queuePosition, window);
    }

    public JobRecord withSliceDone(int z, SliceStats sliceStats, Instant now) {
        BitSet b = BitSet.valueOf(slicesDone);
        if (b.get(z)) {
            return this;
        }
        b.set(z);
        SliceStats merged = stats == null ? sliceStats : stats.merge(sliceStats);
        double p = STARTED + (PREPROCESSED - STARTED) * b.cardinality() / inputDepth();
        return new JobRecord(request, volume, models, stage, Math.max(progress, p), b.toLongArray(), merged,
                tilesDone, tilesTotal, inferenceStartedAt, now, results, error, deadlineAt, slicesAssembled, queuePosition, window);
    }

    /** The statistics the models' normalisation is resolved with (a hosted dataset's whole-volume ones). */
    public JobRecord withStats(SliceStats whole) {
        return new JobRecord(request, volume, models, stage, progress, slicesDone, whole, tilesDone, tilesTotal,
                inferenceStartedAt, updatedAt, results, error, deadlineAt, slicesAssembled, queuePosition, window);
    }

    public JobRecord withInference(List<ModelPlan> resolved, Instant now) {
        int total = resolved.stream().mapToInt(m -> m.tiles() * volume.depth()).sum();
        return new JobRecord(request, volume, resolved, JobStage.INFERENCE, Math.max(progress, PREPROCESSED),
                slicesDone, stats, new long[0], total, now, now, results, error, deadlineAt, slicesAssembled, queuePosition, window);
    }

    public JobRecord withTileDone(int bit, Instant now) {
        BitSet b = BitSet.valueOf(tilesDone);
        if (bit < 0 || b.get(bit)) {
            return this;
        }
        b.set(bit);
        double p = inferenceProgress(b.cardinality(), slicesAssembledCount());
        return new JobRecord(request, volume, models, stage, Math.max(progress, p), slicesDone, stats,
                b.toLongArray(), tilesTotal, inferenceStartedAt, now, results, error, deadlineAt, slicesAssembled, queuePosition, window);
    }

    /** Progress when a job starts running. */
    public static final double STARTED = JobStage.PREPROCESSING.startsAt();
    /** Every slice preprocessed (statistics, enhancement). */
    public static final double PREPROCESSED = JobStage.INFERENCE.startsAt();
    /** Every tile inferred. */
    public static final double INFERRED = JobStage.ASSEMBLING.startsAt();
    /** Every slice stitched and rendered; the stacks are written from here to 1. */
    public static final double SLICES_ASSEMBLED = JobStage.SLICES_ASSEMBLED;

    private double inferenceProgress(int tiles, int slicesAssembled) {
        return PREPROCESSED + (INFERRED - PREPROCESSED) * tiles / Math.max(1, tilesTotal)
                + (SLICES_ASSEMBLED - INFERRED) * slicesAssembled / Math.max(1, volume.depth());
    }

    /** True when every model's tiles of slice {@code z} are done. */
    public boolean sliceTilesDone(int z) {
        BitSet b = BitSet.valueOf(tilesDone);
        for (ModelPlan m : models) {
            int first = tileBit(m.modelId(), z, 0);
            if (first < 0 || b.nextClearBit(first) < first + m.tiles()) {
                return false;
            }
        }
        return true;
    }

    public int slicesAssembledCount() {
        return BitSet.valueOf(slicesAssembled).cardinality();
    }

    public JobRecord withSliceAssembled(int z, Instant now) {
        BitSet b = BitSet.valueOf(slicesAssembled);
        if (z < 0 || z >= volume.depth() || b.get(z)) {
            return this;
        }
        b.set(z);
        double p = inferenceProgress(tilesDoneCount(), b.cardinality());
        return new JobRecord(request, volume, models, stage, Math.max(progress, p), slicesDone, stats,
                tilesDone, tilesTotal, inferenceStartedAt, now, results, error, deadlineAt, b.toLongArray(), queuePosition, window);
    }

    public JobRecord finished(JobState finalState, Map<String, String> finalResults, String reason, Instant now) {
        return new JobRecord(request, volume, models, JobStage.finalFor(finalState),
                finalState == JobState.SUCCEEDED ? 1.0 : progress, slicesDone, stats, tilesDone, tilesTotal,
                inferenceStartedAt, now, finalResults == null ? Map.of() : finalResults, reason, deadlineAt, slicesAssembled, queuePosition, window);
    }

    /** Started: running, with a deadline. */
    public JobRecord started(Instant now, Instant deadline) {
        return new JobRecord(request, volume, models, JobStage.PREPROCESSING, Math.max(progress, STARTED),
                slicesDone, stats, tilesDone, tilesTotal, inferenceStartedAt, now, results, error, deadline, slicesAssembled, queuePosition, window);
    }

    public boolean isWaiting() {
        return stage == JobStage.QUEUED;
    }

    /** This waiting job's place in the queue. */
    public JobRecord withQueuePosition(int position) {
        return new JobRecord(request, volume, models, stage, progress, slicesDone, stats, tilesDone, tilesTotal,
                inferenceStartedAt, updatedAt, results, error, deadlineAt, slicesAssembled, position, window);
    }

    /**
     * The user's view of this record. The time left comes from the tiles' measured rate once a tenth of them (at least
     * two) are done: the first tiles carry the model's loading and would make the estimate swing.
     */
    public JobStatus status() {
        Double eta = null;
        int done = tilesDoneCount();
        if (state() == JobState.RUNNING && inferenceStartedAt != null && updatedAt != null
                && done >= Math.max(2, Math.ceil(0.1 * tilesTotal))) {
            double perTile = Duration.between(inferenceStartedAt, updatedAt).toMillis() / 1000.0 / done;
            eta = perTile * (tilesTotal - done);
        }
        return new JobStatus(jobId(), state(), progress, stage.wire(), isWaiting() ? queuePosition : null, request.submittedAt(),
                updatedAt, state().isFinal() ? updatedAt : null, error, results, request.models(), request.ownerHash(),
                request.shareTokenHash(), eta, notes());
    }

    /** What was done on the user's behalf: each model's note on rescaling, in the models' order. */
    public List<String> notes() {
        return models.stream().map(m -> m.rescale().note()).filter(java.util.Objects::nonNull).distinct().toList();
    }
}
