package org.zooscope.worker.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.zooscope.core.process.Processing;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.worker.inference.LoadedModel;
import org.zooscope.worker.inference.ModelOutputException;
import org.zooscope.worker.inference.ModelRepository;
import org.zooscope.worker.inference.PredictorCache;
import org.zooscope.worker.inference.TileInference;

/**
 * Does tile tasks: cut each padded tile from its z-frame planes, apply the resolved preprocessing, run the model with
 * the task's test-time augmentation (tasks of the same model and augmentation batched into shared runs), check the
 * output and write the padded probabilities under the task's deterministic key, with the variance over the variants
 * beside it. A task done twice writes the same objects under the same keys.
 */
public final class TileProcessor {
    private final ModelRepository models;
    private final PlaneCache planes;
    private final ObjectStore store;
    private final TileInference inference;

    public TileProcessor(ModelRepository models, PlaneCache planes, ObjectStore store, TileInference inference) {
        this.models = models;
        this.planes = planes;
        this.store = store;
        this.inference = inference;
    }

    /** What became of one task of a batch: done, or the failure that stopped it. */
    public record Outcome(TileTask task, JobProgress.TileDone done, RuntimeException failure) {
    }

    /** One task alone; a failure is thrown. */
    public JobProgress.TileDone process(TileTask t, PredictorCache predictors) {
        Outcome o = processAll(List.of(t), predictors).get(0);
        if (o.failure() != null) {
            throw o.failure();
        }
        return o.done();
    }

    /**
     * Several tasks, those of one model and augmentation sharing model runs; one task's failure does not fail the
     * others. Outcomes come back in the order of {@code tasks}. A task whose output is already stored (delivered again
     * after a restart: keys are deterministic and the probabilities are written last) is reported done, not redone.
     */
    public List<Outcome> processAll(List<TileTask> tasks, PredictorCache predictors) {
        Outcome[] outcomes = new Outcome[tasks.size()];
        Map<String, List<Prepared>> groups = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            TileTask t = tasks.get(i);
            try {
                if (store.size(t.outputKey()).isPresent()) {
                    String variance = TileTask.varianceKey(t.outputKey());
                    outcomes[i] = new Outcome(t, new JobProgress.TileDone(t.jobId(), t.modelId(), t.z(), t.tileIndex(),
                            t.outputKey(), 0, store.size(variance).isPresent() ? variance : null, true), null);
                    continue;
                }
                Prepared p = prepare(i, t);
                groups.computeIfAbsent(t.packageKey() + "|" + t.augmentation(), k -> new ArrayList<>()).add(p);
            } catch (RuntimeException e) {
                outcomes[i] = new Outcome(t, null, e);
            }
        }
        for (List<Prepared> group : groups.values()) {
            try {
                finish(group, predictors, outcomes);
            } catch (RuntimeException | ai.djl.translate.TranslateException e) {
                if (group.size() == 1) {
                    Prepared p = group.get(0);
                    outcomes[p.index()] = new Outcome(p.task(), null, asRuntime(e));
                    continue;
                }
                // find out which task the failure belongs to: each on its own
                for (Prepared p : group) {
                    try {
                        finish(List.of(p), predictors, outcomes);
                    } catch (RuntimeException | ai.djl.translate.TranslateException single) {
                        outcomes[p.index()] = new Outcome(p.task(), null, asRuntime(single));
                    }
                }
            }
        }
        return List.of(outcomes);
    }

    /** A tile ready for the model: its task, its place in the plane's grid (its output is cut to its stitch part). */
    private record Prepared(int index, TileTask task, TileGrid grid, Tile tile, LoadedModel model, TileInference.Item item,
                            long startNanos) {
    }

    private Prepared prepare(int index, TileTask t) {
        long t0 = System.nanoTime();
        LoadedModel model = models.get(t.packageKey());
        ModelDescription d = model.description();
        int frames = t.inputKeys().size();
        if (frames != d.frames()) {
            throw new InvalidTaskException("task gives " + frames + " z-frames but model " + d.id() + " takes " + d.frames());
        }
        if (t.outputChannel() < 0 || t.outputChannel() >= d.outputChannels()) {
            throw new InvalidTaskException("output channel " + t.outputChannel() + " of model " + d.id() + " does not exist");
        }
        TileGrid grid = t.layout().grid(t.planeWidth(), t.planeHeight());
        if (t.tileIndex() < 0 || t.tileIndex() >= grid.tiles().size()) {
            throw new InvalidTaskException("tile " + t.tileIndex() + " is outside the grid of " + grid.tiles().size() + " tiles");
        }
        Tile tile = grid.tiles().get(t.tileIndex());
        int pw = grid.paddedWidth(tile);
        int ph = grid.paddedHeight(tile);
        // the model gets exactly a shape its description accepts (an ONNX graph fixed at 512 takes nothing else)
        if (!d.inputY().accepts(ph) || !d.inputX().accepts(pw)) {
            throw new InvalidTaskException("tile " + t.tileIndex() + " would feed " + ph + "x" + pw + " px, but model "
                    + d.id() + " takes y " + d.inputY() + " and x " + d.inputX() + " px");
        }
        if (t.augmentation().swapsAxes(frames) && !(d.inputY().accepts(pw) && d.inputX().accepts(ph))) {
            throw new InvalidTaskException("augmentation " + t.augmentation() + " transposes tiles, but the transposed "
                    + pw + "x" + ph + " px is not a shape model " + d.id() + " takes (y " + d.inputY() + ", x "
                    + d.inputX() + ")");
        }
        int sw = t.sourceWidth();
        int sh = t.sourceHeight();
        int wx = t.gridOffsetX();
        int wy = t.gridOffsetY();
        float[] input = new float[frames * ph * pw];
        for (int c = 0; c < frames; c++) {
            float[] plane = planes.get(t.inputKeys().get(c), sw * sh);
            TileExtractor.extract(plane, sw, sh, wx, wy, grid, tile, input, c * ph * pw);
        }
        preprocessing(model, t).apply(0, input, 0, frames, ph * pw);
        return new Prepared(index, t, grid, tile, model, new TileInference.Item(input, frames, ph, pw, t.outputChannel()), t0);
    }

    private void finish(List<Prepared> group, PredictorCache predictors, Outcome[] outcomes)
            throws ai.djl.translate.TranslateException {
        LoadedModel model = group.get(0).model();
        TileTask first = group.get(0).task();
        int[] variants = first.augmentation().variantIndices(model.description().frames());
        long run0 = System.nanoTime();
        List<TileInference.Result> results = inference.run(model, predictors, group.stream().map(Prepared::item).toList(), variants);
        double shareOfRun = (System.nanoTime() - run0) / 1e9 / group.size();
        for (int k = 0; k < group.size(); k++) {
            Prepared p = group.get(k);
            TileInference.Result r = results.get(k);
            TileTask t = p.task();
            check(r.mean(), model, t, "probability");
            // only the part of the output that stitching reads (core and blending band): the halo is never used
            TileGrid grid = p.grid();
            Tile tile = p.tile();
            String uncertainty = null;
            if (r.variance() != null) {
                check(r.variance(), model, t, "variance");
                uncertainty = TileTask.varianceKey(t.outputKey());
                store.put(uncertainty, PlaneCodec.encode(grid.stitchPart(tile, r.variance())), "application/octet-stream");
            }
            // the probabilities last: their key is what a reader of the TileDone goes by
            store.put(t.outputKey(), PlaneCodec.encode(grid.stitchPart(tile, r.mean())), "application/octet-stream");
            double seconds = (run0 - p.startNanos()) / 1e9 + shareOfRun;
            outcomes[p.index()] = new Outcome(t, new JobProgress.TileDone(t.jobId(), t.modelId(), t.z(), t.tileIndex(),
                    t.outputKey(), seconds, uncertainty), null);
        }
    }

    private static void check(float[] values, LoadedModel model, TileTask t, String what) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new ModelOutputException("model " + model.description().id() + " returned " + v + " (" + what
                        + ") for tile " + t.tileIndex() + " of slice " + t.z());
            }
        }
    }

    /** The model's preprocessing with the whole input's statistics the task carries: every tile mapped alike. */
    private static Processing.Bound preprocessing(LoadedModel model, TileTask t) {
        Processing pre = model.processing().preprocessing();
        if (t.inputStatistics() == null && pre.needsStatistics()) {
            throw new InvalidTaskException("the task carries no input statistics, but model " + model.description().id()
                    + "'s preprocessing needs them");
        }
        try {
            return pre.resolve(t.inputStatistics());
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException("model " + model.description().id() + "'s preprocessing cannot use the "
                    + "task's input statistics: " + e.getMessage());
        }
    }

    private static RuntimeException asRuntime(Exception e) {
        return e instanceof RuntimeException r ? r : new InferenceFailedException(e);
    }

    /** A task that contradicts its model or its grid: retrying will not help. */
    public static final class InvalidTaskException extends RuntimeException
            implements org.zooscope.core.failure.Failures.Fatal {
        public InvalidTaskException(String message) {
            super(message);
        }
    }

    /** The engine failed on a run (wraps DJL's checked exception; the cause says why). */
    public static final class InferenceFailedException extends RuntimeException {
        public InferenceFailedException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }
}
