package org.zooscope.worker.task;

import ai.djl.translate.TranslateException;
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
import org.zooscope.worker.inference.TileInput;
import org.zooscope.worker.inference.TileOutput;

/**
 * Does one tile task: cut the padded tile from each z-frame plane, apply the resolved preprocessing, run the model,
 * check its output and write the padded probabilities under the task's deterministic key.
 */
public final class TileProcessor {
    private final ModelRepository models;
    private final PlaneCache planes;
    private final ObjectStore store;

    public TileProcessor(ModelRepository models, PlaneCache planes, ObjectStore store) {
        this.models = models;
        this.planes = planes;
        this.store = store;
    }

    public JobProgress.TileDone process(TileTask t, PredictorCache predictors) throws TranslateException {
        long t0 = System.nanoTime();
        LoadedModel model = models.get(t.modelKey());
        ModelDescription d = model.description();
        int frames = t.inputKeys().size();
        if (frames != d.frames()) {
            throw new InvalidTaskException("task gives " + frames + " z-frames but model " + d.id() + " takes " + d.frames());
        }
        TileGrid grid = TileGrid.cover(t.planeWidth(), t.planeHeight(), t.tileSize(), t.halo(), t.step());
        if (t.tileIndex() < 0 || t.tileIndex() >= grid.tiles().size()) {
            throw new InvalidTaskException("tile " + t.tileIndex() + " is outside the grid of " + grid.tiles().size() + " tiles");
        }
        Tile tile = grid.tiles().get(t.tileIndex());
        int pw = grid.paddedWidth(tile);
        int ph = grid.paddedHeight(tile);
        int planeSize = t.planeWidth() * t.planeHeight();
        float[] input = new float[frames * ph * pw];
        for (int c = 0; c < frames; c++) {
            float[] plane = planes.get(t.inputKeys().get(c), planeSize);
            float[] padded = TileExtractor.extract(plane, t.planeWidth(), t.planeHeight(), grid, tile);
            t.transform().applyInPlace(padded);
            System.arraycopy(padded, 0, input, c * ph * pw, ph * pw);
        }
        TileOutput out = predictors.predict(model, new TileInput(input, 1, frames, ph, pw));
        if (out.height() != ph || out.width() != pw || out.channels() <= t.outputChannel()) {
            throw new ModelOutputException("model " + d.id() + " returned shape [" + out.batch() + ", " + out.channels()
                    + ", " + out.height() + ", " + out.width() + "] for an input of [1, " + frames + ", " + ph + ", " + pw + "]");
        }
        float[] prob = out.channel(0, t.outputChannel());
        for (float v : prob) {
            if (!Float.isFinite(v)) {
                throw new ModelOutputException("model " + d.id() + " returned " + v + " for tile " + t.tileIndex() + " of slice " + t.z());
            }
        }
        store.put(t.outputKey(), PlaneCodec.encode(prob), "application/octet-stream");
        return new JobProgress.TileDone(t.jobId(), t.modelId(), t.z(), t.tileIndex(), t.outputKey(),
                (System.nanoTime() - t0) / 1e9);
    }

    /** A task that contradicts its model or its grid: retrying will not help. */
    public static final class InvalidTaskException extends RuntimeException {
        public InvalidTaskException(String message) {
            super(message);
        }
    }
}
