package org.zooscope.worker.bench;

import ai.djl.Device;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.store.InMemoryObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.TileLayout;
import org.zooscope.worker.inference.ModelRepository;
import org.zooscope.worker.inference.OrtEnv;
import org.zooscope.worker.inference.PredictorCache;
import org.zooscope.core.process.Processing;
import org.zooscope.worker.inference.TileInference;
import org.zooscope.worker.task.PlaneCache;
import org.zooscope.worker.task.TileProcessor;

/**
 * Tiles per second of each model, through the worker's whole tile path ({@link TileProcessor}: tile cut from the
 * plane, preprocessing, DJL predictor, checks, encoding and the store write; the store in memory) and through a bare
 * {@code OrtSession.run} on the same preprocessed tile (tensor in, output copied out), in the same JVM, alternating
 * blocks of runs so that load from elsewhere on the machine hits both alike. Not part of the build; run it with
 * {@code gpu-worker/bench [--sizes 512,1024] [--seconds 20] [--threads N] [package dir ...]}: without package
 * directories it takes every {@code zoo/*}{@code /bioimageio.yaml} under the current directory.
 */
public final class WorkerBenchmark {
    private WorkerBenchmark() {
    }

    private record Row(String model, int size, double workerTps, double inferenceTps, double bareTps) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        List<Integer> sizes = List.of(512, 1024);
        double seconds = 20;
        int threads = Runtime.getRuntime().availableProcessors();
        List<Path> packages = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Stream.of(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> packages.add(Path.of(args[i]));
            }
        }
        if (packages.isEmpty()) {
            packages = discover(Path.of("zoo"));
        }
        if (packages.isEmpty()) {
            System.err.println("no packages: give package directories or run where zoo/*/bioimageio.yaml exist");
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "ONNX Runtime on the CPU, %d intra-op thread(s), %d core(s) visible, ~%.0f s per path and size%n",
                threads, Runtime.getRuntime().availableProcessors(), seconds);
        List<Row> rows = new ArrayList<>();
        for (Path p : packages) {
            for (int size : sizes) {
                rows.add(measure(p, size, threads, seconds));
            }
        }
        System.out.println();
        System.out.println("worker = whole tile path (TileProcessor); inference = the worker's model call alone "
                + "(TileInference: translator, DJL predictor, postprocessing); bare = OrtSession.run");
        System.out.println("| model | tile (px) | worker tiles/s | worker MP/s | inference tiles/s | bare ORT tiles/s "
                + "| bare ORT MP/s | worker / bare | inference / bare |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            double mp = (double) r.size() * r.size() / 1e6;
            System.out.printf(Locale.ROOT, "| %s | %d² | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f | %.3f |%n", r.model(),
                    r.size(), r.workerTps(), r.workerTps() * mp, r.inferenceTps(), r.bareTps(), r.bareTps() * mp,
                    r.workerTps() / r.bareTps(), r.inferenceTps() / r.bareTps());
        }
    }

    static List<Path> discover(Path zoo) throws IOException {
        if (!Files.isDirectory(zoo)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(zoo)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("bioimageio.yaml"))).sorted().toList();
        }
    }

    private static Row measure(Path dir, int wanted, int threads, double seconds) throws Exception {
        InMemoryObjectStore store = new InMemoryObjectStore();
        String key = org.zooscope.core.store.StorageKeys.Models.prefix("bench", "1");
        ModelDescription d;
        try (var model = ModelRepository.loadDirectory(dir, Device.cpu(), threads)) {
            d = model.description();
        }
        store.put(key + "bioimageio.yaml", Files.readAllBytes(dir.resolve("bioimageio.yaml")), "application/x-yaml");
        store.put(key + d.weightsSource(), Files.readAllBytes(dir.resolve(d.weightsSource())), "application/octet-stream");
        int size = d.acceptedSize(wanted);
        int frames = d.frames();
        // one tile of `size` px: a plane of the core size, padded by the model's halo (mirrored at the plane's edges)
        int core = size - 2 * d.halo();
        float[][] planes = planesFromTestInput(dir, d, core, frames);
        List<String> keys = new ArrayList<>();
        for (int c = 0; c < frames; c++) {
            keys.add("bench/plane/" + c + ".f32");
            store.put(keys.get(c), PlaneCodec.encode(planes[c]), "application/octet-stream");
        }
        TileLayout layout = new TileLayout(core, d.halo(), d.inputY(), d.inputX());
        TileGrid grid = layout.grid(core, core);
        if (grid.tiles().size() != 1 || grid.paddedWidth(grid.tiles().get(0)) != size) {
            throw new IllegalStateException("benchmark grid is not one " + size + " px tile: " + grid);
        }
        // the whole input's statistics, as job-stream gives every task: a model whose preprocessing needs them (every
        // zoo model's scale_range does) is refused without (the planes are preprocessed already, so this one is
        // close to the identity, and the worker's output stays comparable with the bare run's)
        org.zooscope.core.process.VolumeStatistics stats = org.zooscope.core.process.VolumeStatistics.of(frames,
                c -> planes[c], core * core, Processing.fromDescription(d.preprocessing()).percentiles());
        TileTask task = new TileTask("bench", d.id(), key, 0, 0, keys, core, core, layout,
                stats, 0, Augmentation.NONE, "bench/out.f32", 1);
        Path cache = Files.createTempDirectory("zooscope-bench");
        ModelRepository models = new ModelRepository(store, cache, Device.cpu(), threads);
        TileProcessor processor = new TileProcessor(models, new PlaneCache(store, 1L << 30), store,
                new TileInference(16, 1L << 28));

        float[] tile = new float[frames * size * size];
        for (int c = 0; c < frames; c++) {
            TileExtractor.extract(planes[c], core, core, grid, grid.tiles().get(0), tile, c * size * size);
        }
        OrtEnvironment env = OrtEnv.get();
        try (PredictorCache predictors = new PredictorCache();
             OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(threads);
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(dir.resolve(d.weightsSource()).toString(), so)) {
                String input = session.getInputNames().iterator().next();
                // the output is removed before each run: a worker given a tile whose output is stored reports it done
                Runnable worker = () -> {
                    store.deletePrefix("bench/out");
                    processor.process(task, predictors);
                };
                TileInference inference = new TileInference(16, 1L << 28);
                var model = models.get(key);
                List<TileInference.Item> items = List.of(new TileInference.Item(tile, frames, size, size, 0));
                Runnable inferenceOnly = () -> {
                    try {
                        inference.run(model, predictors, items, new int[] {0});
                    } catch (ai.djl.translate.TranslateException e) {
                        throw new IllegalStateException(e);
                    }
                };
                Runnable bare = () -> bareRun(env, session, input, tile, new long[] {1, frames, size, size});
                // warm up both (first runs allocate and tune), and check both paths compute the same thing
                for (int i = 0; i < 3; i++) {
                    worker.run();
                    inferenceOnly.run();
                    bare.run();
                }
                // the worker stores the part of its output that stitching reads: compare that part of the bare run's
                float[] w = PlaneCodec.decode(store.get("bench/out.f32"), grid.stitchPart(grid.tiles().get(0)).samples());
                float[] b = grid.stitchPart(grid.tiles().get(0),
                        bareRun(env, session, input, tile, new long[] {1, frames, size, size}));
                double maxDiff = 0;
                for (int i = 0; i < w.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(w[i] - b[i]));
                }
                // time for one run of each, to size the alternating blocks at about a second
                double one = time(worker, 1) + time(bare, 1);
                int block = (int) Math.max(1, Math.round(1.0 / one));
                double workerSeconds = 0;
                double inferenceSeconds = 0;
                double bareSeconds = 0;
                int runs = 0;
                // A B C C B A: a load that drifts during a round hits every path alike
                while (workerSeconds + inferenceSeconds + bareSeconds < 3 * seconds) {
                    workerSeconds += time(worker, block);
                    inferenceSeconds += time(inferenceOnly, block);
                    bareSeconds += time(bare, 2 * block);
                    inferenceSeconds += time(inferenceOnly, block);
                    workerSeconds += time(worker, block);
                    runs += 2 * block;
                }
                System.out.printf(Locale.ROOT, "%s %d²: %d runs per path, max |worker - bare| = %.2e%n", d.id(), size, runs, maxDiff);
                return new Row(d.id(), size, runs / workerSeconds, runs / inferenceSeconds, runs / bareSeconds);
            }
        } finally {
            models.close();
        }
    }

    private static double time(Runnable r, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static float[] bareRun(OrtEnvironment env, OrtSession session, String input, float[] x, long[] shape) {
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] y = new float[fb.remaining()];
            fb.get(y);
            return y;
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The package's test input, preprocessed as it declares, mirrored out to {@code n × n} per frame. */
    private static float[][] planesFromTestInput(Path dir, ModelDescription d, int n, int frames) {
        try {
            NpyArray in = NpyArray.read(Files.readAllBytes(dir.resolve(d.testInput().source())));
            long[] s = in.shape();
            int h = (int) s[s.length - 2];
            int w = (int) s[s.length - 1];
            float[] x = in.data().clone();
            Processing.fromDescription(d.preprocessing()).applyToTensor(x, 1, x.length / (h * w), h * w);
            float[][] planes = new float[frames][n * n];
            for (int c = 0; c < frames; c++) {
                int src = Math.min(c, x.length / (h * w) - 1) * h * w;
                for (int y = 0; y < n; y++) {
                    int sy = mirror(y, h);
                    for (int xx = 0; xx < n; xx++) {
                        planes[c][y * n + xx] = x[src + sy * w + mirror(xx, w)];
                    }
                }
            }
            return planes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int mirror(int i, int n) {
        int period = 2 * n;
        int m = i % period;
        return m < n ? m : period - 1 - m;
    }
}
