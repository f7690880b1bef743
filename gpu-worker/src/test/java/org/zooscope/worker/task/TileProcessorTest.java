package org.zooscope.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zooscope.core.process.VolumeStatistics;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.JobProgress;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.tiling.AxisSize;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.worker.inference.ModelRepository;
import org.zooscope.worker.inference.PredictorCache;
import org.zooscope.worker.inference.SkeletonModel;
import org.zooscope.worker.inference.TileInference;

class TileProcessorTest {
    private static final String MODEL_KEY = "models/skeleton-smooth/1/";
    private static final int W = 70;
    private static final int H = 50;

    @TempDir
    Path cache;
    private InMemoryObjectStore store;
    private TileProcessor processor;
    private float[] plane;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("ai.djl.offline", "true");
        store = new InMemoryObjectStore();
        for (String f : List.of("bioimageio.yaml", "weights.onnx")) {
            store.put(MODEL_KEY + f, Files.readAllBytes(SkeletonModel.dir().resolve(f)), "application/octet-stream");
        }
        plane = new float[W * H];
        Random rnd = new Random(3);
        for (int i = 0; i < plane.length; i++) {
            plane[i] = 1000 + 500 * rnd.nextFloat() + (i % W);
        }
        store.put("jobs/j-1/input/0.f32", PlaneCodec.encode(plane), "application/octet-stream");
        ModelRepository models = new ModelRepository(store, cache, Device.cpu(), 1);
        processor = new TileProcessor(models, new PlaneCache(store, 1 << 20), store, new TileInference(16, 1 << 22));
    }

    /** The whole input's statistics as job-stream sends them: the percentiles the model's scale_range needs. */
    private static final VolumeStatistics INPUT = new VolumeStatistics(W * H, 1750, 400, 1000, 2500,
            Map.of(0.0, 1000.0, 100.0, 2500.0));

    private static TileTask task(int tile, Augmentation aug) {
        return task(tile, aug, "jobs/j-1/tiles/skeleton-smooth/0/");
    }

    private static TileTask task(int tile, Augmentation aug, String outputPrefix) {
        return new TileTask("j-1", "skeleton-smooth", MODEL_KEY, 0, tile, List.of("jobs/j-1/input/0.f32"), W, H, TileLayout.of(32, 1, 1),
                INPUT, 0, aug,
                outputPrefix + tile + ".f32", 1);
    }

    @Test
    void aTaskWhoseOutputIsAlreadyStoredIsReportedDoneWithoutRunningAgain() {
        // as after a restart: the tile was done and written, its task is delivered again
        float[] stored = {0.25f, 0.5f};
        store.put("jobs/j-1/tiles/skeleton-smooth/0/3.f32", PlaneCodec.encode(stored), "application/octet-stream");
        try (PredictorCache predictors = new PredictorCache()) {
            JobProgress.TileDone done = processor.process(task(3, Augmentation.NONE), predictors);
            assertThat(done.reused()).isTrue();
            assertThat(done.outputKey()).isEqualTo("jobs/j-1/tiles/skeleton-smooth/0/3.f32");
            assertThat(PlaneCodec.decode(store.get(done.outputKey()), 2)).containsExactly(stored);
            JobProgress.TileDone fresh = processor.process(task(4, Augmentation.NONE), predictors);
            assertThat(fresh.reused()).isFalse();
        }
    }

    @Test
    void tileEqualsTheModelRunDirectlyOnTheNormalisedPaddedTile() throws Exception {
        JobProgress.TileDone done;
        try (PredictorCache predictors = new PredictorCache()) {
            done = processor.process(task(1, Augmentation.NONE), predictors);
        }
        assertThat(done.outputKey()).isEqualTo("jobs/j-1/tiles/skeleton-smooth/0/1.f32");
        assertThat(done.uncertaintyKey()).isNull();
        TileGrid grid = TileGrid.cover(W, H, 32, 1, 1);
        Tile tile = grid.tiles().get(1);
        int pw = grid.paddedWidth(tile);
        int ph = grid.paddedHeight(tile);
        float[] x = TileExtractor.extract(plane, W, H, grid, tile);
        for (int i = 0; i < x.length; i++) {
            // the model's scale_range 0..100 with the input statistics the task carries
            x[i] = (float) ((x[i] - 1000.0) / (1500 + 1e-6));
        }
        // stored: the part of the output that stitching reads (core and blending band), not the halo
        float[] expected = grid.stitchPart(tile, runDirectly(x, ph, pw));
        float[] got = PlaneCodec.decode(store.get(done.outputKey()), grid.stitchPart(tile).samples());
        assertThat(got.length).isLessThan(ph * pw);
        assertThat(got).containsExactly(expected, within(1e-6f));
    }

    @Test
    void augmentedTileWritesTheMeanAndAVarianceMapBesideIt() {
        try (PredictorCache predictors = new PredictorCache()) {
            JobProgress.TileDone plain = processor.process(task(0, Augmentation.NONE), predictors);
            float[] none = PlaneCodec.decode(store.get(plain.outputKey()), store.get(plain.outputKey()).length / 4);
            JobProgress.TileDone full = processor.process(task(0, Augmentation.FULL, "jobs/j-1/tiles/full/"), predictors);
            assertThat(full.uncertaintyKey()).isEqualTo("jobs/j-1/tiles/full/0.variance.f32");
            float[] mean = PlaneCodec.decode(store.get(full.outputKey()), none.length);
            float[] var = PlaneCodec.decode(store.get(full.uncertaintyKey()), none.length);
            // the skeleton model commutes with the variants: the mean is the plain output, the variance ~0
            assertThat(mean).containsExactly(none, within(1e-6f));
            for (float v : var) {
                assertThat(v).isBetween(0f, 1e-10f);
            }
        }
    }

    @Test
    void theSameTaskComputedTwiceGivesTheSameBytes() {
        try (PredictorCache predictors = new PredictorCache()) {
            JobProgress.TileDone first = processor.process(task(2, Augmentation.STANDARD), predictors);
            byte[] prob = store.get(first.outputKey());
            byte[] var = store.get(first.uncertaintyKey());
            JobProgress.TileDone again = processor.process(task(2, Augmentation.STANDARD, "jobs/j-1/tiles/again/"), predictors);
            assertThat(again.reused()).isFalse();
            assertThat(store.get(again.outputKey())).isEqualTo(prob);
            assertThat(store.get(again.uncertaintyKey())).isEqualTo(var);
        }
    }

    @Test
    void tasksBatchedTogetherGiveWhatEachGivesAloneAndABadTaskFailsAlone() {
        try (PredictorCache predictors = new PredictorCache()) {
            TileTask bad = new TileTask("j-1", "skeleton-smooth", MODEL_KEY, 0, 99, List.of("jobs/j-1/input/0.f32"), W, H,
                    TileLayout.of(32, 1, 1), INPUT, 0, Augmentation.FAST, "jobs/j-1/tiles/x.f32", 1);
            List<TileTask> tasks = List.of(task(0, Augmentation.FAST), bad, task(3, Augmentation.FAST), task(5, Augmentation.FAST));
            List<TileProcessor.Outcome> outcomes = processor.processAll(tasks, predictors);
            assertThat(outcomes).hasSize(4);
            assertThat(outcomes.get(1).failure()).isInstanceOf(TileProcessor.InvalidTaskException.class);
            assertThat(org.zooscope.core.failure.Failures.isRetriable(outcomes.get(1).failure())).isFalse();
            for (int i : new int[] {0, 2, 3}) {
                TileProcessor.Outcome o = outcomes.get(i);
                assertThat(o.failure()).isNull();
                assertThat(o.done().tileIndex()).isEqualTo(tasks.get(i).tileIndex());
                byte[] batched = store.get(o.done().outputKey());
                processor.process(tasks.get(i), predictors);
                float[] a = PlaneCodec.decode(batched, batched.length / 4);
                float[] b = PlaneCodec.decode(store.get(o.done().outputKey()), batched.length / 4);
                assertThat(a).containsExactly(b, within(1e-6f));
            }
        }
    }

    @Test
    void aTaskThatContradictsItsModelIsRefused() {
        TileTask twoFrames = new TileTask("j-1", "skeleton-smooth", MODEL_KEY, 0, 0,
                List.of("jobs/j-1/input/0.f32", "jobs/j-1/input/0.f32"), W, H, TileLayout.of(32, 1, 1), INPUT, 0,
                Augmentation.NONE, "jobs/j-1/tiles/y.f32", 1);
        try (PredictorCache predictors = new PredictorCache()) {
            assertThatThrownBy(() -> processor.process(twoFrames, predictors))
                    .isInstanceOf(TileProcessor.InvalidTaskException.class).hasMessageContaining("takes 1");
        }
    }

    @Test
    void aTileOfAShapeTheModelDoesNotTakeIsNeverFed() {
        // the model takes 8 px and more; cores of 2 px with a 1 px halo would feed it 4 x 4
        TileTask tooSmall = new TileTask("j-1", "skeleton-smooth", MODEL_KEY, 0, 0, List.of("jobs/j-1/input/0.f32"), W, H,
                new TileLayout(2, 1, AxisSize.multipleOf(1), AxisSize.multipleOf(1)), INPUT, 0,
                Augmentation.NONE, "jobs/j-1/tiles/z.f32", 1);
        try (PredictorCache predictors = new PredictorCache()) {
            assertThatThrownBy(() -> processor.process(tooSmall, predictors))
                    .isInstanceOf(TileProcessor.InvalidTaskException.class)
                    .hasMessageContaining("would feed 4x4 px").hasMessageContaining("8+n*1");
        }
        assertThat(store.size("jobs/j-1/tiles/z.f32")).isEmpty();
    }

    private static float[] runDirectly(float[] x, int h, int w) throws Exception {
        OrtEnvironment env = org.zooscope.worker.inference.OrtEnv.get();
        try (OrtSession s = env.createSession(SkeletonModel.dir().resolve("weights.onnx").toString(), new OrtSession.SessionOptions());
             OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 1, h, w});
             OrtSession.Result r = s.run(Map.of("input", t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] y = new float[fb.remaining()];
            fb.get(y);
            return y;
        }
    }
}
