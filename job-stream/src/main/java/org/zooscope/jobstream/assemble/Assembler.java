package org.zooscope.jobstream.assemble;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.io.TiffWriter;
import org.zooscope.core.render.DisplayRange;
import org.zooscope.core.render.OverlayLayer;
import org.zooscope.core.render.OverlayRenderer;
import org.zooscope.core.render.OverlayStyle;
import org.zooscope.core.render.Thumbnails;
import org.zooscope.core.zarr.OmeZarr;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.tiling.Stitcher;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/**
 * Turns a job's tiles into its results: stitches each model's tiles per slice (seamless blending), averages models of
 * the same structure into that structure's ensemble, thresholds the first structure into a segmentation, and writes
 * float32 and 8-bit multi-page TIFFs, overlay PNGs per slice, a thumbnail, an OME-Zarr of the probabilities and a JSON
 * run record. Keys are deterministic, so assembling twice is harmless.
 */
public final class Assembler {
    /** S3 reads and writes of one assembly overlap on this many threads (they wait on the network, not the CPU). */
    static final int IO_THREADS = 4;
    private static final ExecutorService IO = Executors.newFixedThreadPool(IO_THREADS, r -> {
        Thread t = new Thread(r, "assembler-io");
        t.setDaemon(true);
        return t;
    });

    private final ObjectStore store;

    public Assembler(ObjectStore store) {
        this.store = store;
    }

    /** Runs {@code work} for 0..n-1 on the I/O threads, results in order; the first failure is rethrown as is. */
    private static <T> List<T> inParallel(int n, java.util.function.IntFunction<T> work) {
        List<CompletableFuture<T>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final int index = i;
            futures.add(CompletableFuture.supplyAsync(() -> work.apply(index), IO));
        }
        return joinAll(futures);
    }

    private static <T> List<T> joinAll(List<CompletableFuture<T>> futures) {
        List<T> out = new ArrayList<>(futures.size());
        for (CompletableFuture<T> f : futures) {
            try {
                out.add(f.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r; // keeps its type, so the one retriable-vs-fatal decision still sees it
                }
                throw e;
            }
        }
        return out;
    }

    /**
     * Every slice of one model's tiles ({@code suffix} ".f32" or ".variance.f32"), stitched; a slice's tiles are
     * fetched in parallel, one slice at a time, so memory holds one slice's tiles besides the stitched planes.
     */
    private List<float[]> stitch(AssembleTask task, AssembleTask.ModelTiles m, TileGrid grid, String suffix) {
        List<Tile> tiles = grid.tiles();
        List<float[]> planes = new ArrayList<>();
        for (int z = 0; z < task.depth(); z++) {
            String slicePrefix = m.tilesPrefix() + z + "/";
            List<float[]> fetched = inParallel(tiles.size(), i -> PlaneCodec.decode(
                    store.get(slicePrefix + tiles.get(i).index() + suffix),
                    grid.paddedWidth(tiles.get(i)) * grid.paddedHeight(tiles.get(i))));
            Stitcher stitcher = new Stitcher(task.width(), task.height(), grid);
            for (int i = 0; i < tiles.size(); i++) {
                stitcher.add(tiles.get(i), fetched.get(i));
            }
            planes.add(stitcher.result());
        }
        return planes;
    }

    /** Each structure's probabilities, the main map and segmentation, and per-model maps when several ran. */
    private Map<String, String> writeTiffs(AssembleTask task, Map<String, List<float[]>> ensembles,
                                           Map<String, List<float[]>> perModel) {
        int w = task.width();
        int h = task.height();
        Map<String, String> results = new LinkedHashMap<>();
        String first = null;
        for (Map.Entry<String, List<float[]>> e : ensembles.entrySet()) {
            List<float[]> ensemble = e.getValue();
            String key = task.resultsPrefix() + e.getKey() + "/probabilities.tif";
            store.put(key, tiff(volume(w, h, ensemble), true), "image/tiff");
            results.put(e.getKey() + "/probabilities.tif", key);
            if (first == null) {
                first = e.getKey();
                // the main map is the first structure's: one object under both names, written once
                results.put("probabilities.tif", key);
                String seg = task.resultsPrefix() + "segmentation.tif";
                store.put(seg, tiff(threshold(ensemble, w, h, task.threshold()), false), "image/tiff");
                results.put("segmentation.tif", seg);
            }
        }
        if (task.models().size() > 1) {
            for (Map.Entry<String, List<float[]>> e : perModel.entrySet()) {
                String key = task.resultsPrefix() + "models/" + e.getKey() + "/probabilities.tif";
                store.put(key, tiff(volume(w, h, e.getValue()), true), "image/tiff");
                results.put("models/" + e.getKey() + "/probabilities.tif", key);
            }
        }
        return results;
    }

    /** Returns result name → S3 key. */
    public Map<String, String> assemble(AssembleTask task) {
        int w = task.width();
        int h = task.height();
        Map<String, List<float[]>> perModel = new LinkedHashMap<>();
        Map<String, List<String>> modelsByStructure = new LinkedHashMap<>();
        Map<String, String> results = new LinkedHashMap<>();
        for (AssembleTask.ModelTiles m : task.models()) {
            TileGrid grid = TileGrid.cover(w, h, m.tileSize(), m.halo(), m.step());
            perModel.put(m.modelId(), stitch(task, m, grid, ".f32"));
            writeUncertainty(task, m, grid, results);
            modelsByStructure.computeIfAbsent(m.structure(), k -> new ArrayList<>()).add(m.modelId());
        }
        // the TIFFs encode on one I/O thread while this thread renders the views (itself spread over the others):
        // an assembly has both cores to itself, the workers are idle by then
        Map<String, List<float[]>> ensembles = new LinkedHashMap<>();
        modelsByStructure.forEach((structure, models) -> ensembles.put(structure,
                average(models.stream().map(perModel::get).toList(), w * h, task.depth())));
        CompletableFuture<Map<String, String>> tiffs = CompletableFuture.supplyAsync(
                () -> writeTiffs(task, ensembles, perModel), IO);
        Map<String, String> views = new LinkedHashMap<>();
        writeViews(task, ensembles, views);
        results.putAll(joinAll(List.of(tiffs)).get(0));
        results.putAll(views);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("jobId", task.jobId());
        run.put("models", task.modelVersions());
        run.put("structures", modelsByStructure);
        run.put("threshold", task.threshold());
        run.put("width", w);
        run.put("height", h);
        run.put("depth", task.depth());
        String runKey = task.resultsPrefix() + "run.json";
        store.put(runKey, EventJson.toBytes(run), "application/json");
        results.put("run.json", runKey);
        return results;
    }

    /**
     * With test-time augmentation the worker also writes each tile's per-pixel variance over the variants
     * ({@code <tile>.variance.f32}); stitched like the probabilities, it becomes the model's uncertainty map.
     */
    private void writeUncertainty(AssembleTask task, AssembleTask.ModelTiles m, TileGrid grid, Map<String, String> results) {
        Tile first = grid.tiles().get(0);
        if (store.size(m.tilesPrefix() + "0/" + first.index() + ".variance.f32").isEmpty()) {
            return; // no augmentation: one variant, no variance
        }
        List<float[]> planes = stitch(task, m, grid, ".variance.f32");
        String key = task.resultsPrefix() + "models/" + m.modelId() + "/uncertainty.tif";
        store.put(key, tiff(volume(task.width(), task.height(), planes), true), "image/tiff");
        results.put("models/" + m.modelId() + "/uncertainty.tif", key);
    }

    /** Structure colours for overlays: CDeep3M's green first, then colours that stay apart from it and each other. */
    static final int[] COLOURS = {0x00FF00, 0xFF00FF, 0x00BFFF, 0xFFA500, 0xFFFF00, 0xFF3030, 0x8A2BE2, 0xFFFFFF};

    /**
     * Per-slice overlay PNGs (CDeep3M's green look for one structure, one colour per structure otherwise), a thumbnail
     * of the middle slice, and the probabilities of every structure as one OME-Zarr (NGFF 0.4, multiscale, channels =
     * structures) for napari- or neuroglancer-style viewers.
     */
    private void writeViews(AssembleTask task, Map<String, List<float[]>> byStructure, Map<String, String> results) {
        int w = task.width();
        int h = task.height();
        List<String> names = new ArrayList<>(byStructure.keySet());
        List<List<float[]>> ensembles = new ArrayList<>(byStructure.values());
        OverlayStyle style;
        if (ensembles.size() == 1) {
            style = OverlayStyle.cdeep3m();
        } else {
            List<OverlayLayer> layers = new ArrayList<>();
            for (int i = 0; i < ensembles.size(); i++) {
                layers.add(OverlayLayer.of(COLOURS[i % COLOURS.length], 0.5));
            }
            style = OverlayStyle.alpha(layers);
        }
        double low = task.displayLow();
        double high = task.displayHigh() > low ? task.displayHigh() : low + 1;
        DisplayRange range = new DisplayRange(low, high);
        int middle = task.depth() / 2;
        // slices render and upload side by side: PNG encoding is the CPU part, the puts wait on S3
        List<String> overlayKeys = inParallel(task.depth(), z -> {
            float[] input = PlaneCodec.decode(store.get(task.inputPrefix() + z + ".f32"), w * h);
            List<float[]> probs = ensembles.stream().map(e -> e.get(z)).toList();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            try {
                OverlayRenderer.writePng(input, w, h, range, probs, style, png);
                if (z == middle) {
                    ByteArrayOutputStream thumb = new ByteArrayOutputStream();
                    Thumbnails.writePng(Thumbnails.rgb(OverlayRenderer.renderRgb(input, w, h, range, probs, style), w, h, 256), thumb);
                    store.put(task.resultsPrefix() + "thumbnail.png", thumb.toByteArray(), "image/png");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String key = task.resultsPrefix() + "overlay/" + z + ".png";
            store.put(key, png.toByteArray(), "image/png");
            return key;
        });
        results.put("thumbnail.png", task.resultsPrefix() + "thumbnail.png");
        for (int z = 0; z < overlayKeys.size(); z++) {
            results.put("overlay/" + z + ".png", overlayKeys.get(z));
        }
        String zarr = task.resultsPrefix() + "probabilities.ome.zarr/";
        // the root is a plain group holding one multiscale image per structure
        store.put(zarr + ".zgroup", "{\"zarr_format\": 2}".getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
        try {
            for (int i = 0; i < ensembles.size(); i++) {
                String name = names.get(i);
                List<CompletableFuture<Void>> puts = new ArrayList<>();
                OmeZarr.writeImage(volume(w, h, ensembles.get(i)), (k, bytes) -> puts.add(CompletableFuture.runAsync(
                        () -> store.put(zarr + name + "/" + k, bytes, "application/octet-stream"), IO)),
                        OmeZarr.Options.float32(name).withCompressor(null)); // as the TIFFs: speed over a few % of size
                joinAll(puts);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        results.put("probabilities.ome.zarr", zarr);
    }

    static List<float[]> average(List<List<float[]>> models, int size, int depth) {
        if (models.size() == 1) {
            return models.get(0);
        }
        List<float[]> out = new ArrayList<>();
        for (int z = 0; z < depth; z++) {
            float[] acc = new float[size];
            for (List<float[]> m : models) {
                float[] p = m.get(z);
                for (int i = 0; i < size; i++) {
                    acc[i] += p[i];
                }
            }
            float inv = 1f / models.size();
            for (int i = 0; i < size; i++) {
                acc[i] *= inv;
            }
            out.add(acc);
        }
        return out;
    }

    private static Volume threshold(List<float[]> probs, int w, int h, double threshold) {
        List<float[]> seg = new ArrayList<>();
        for (float[] p : probs) {
            float[] s = new float[p.length];
            for (int i = 0; i < p.length; i++) {
                s[i] = p[i] >= threshold ? 255f : 0f;
            }
            seg.add(s);
        }
        return new FloatVolume(w, h, seg, DataType.UINT8, VoxelSize.unknown());
    }

    private static FloatVolume volume(int w, int h, List<float[]> planes) {
        return new FloatVolume(w, h, planes, DataType.FLOAT32, VoxelSize.unknown());
    }

    private static byte[] tiff(Volume v, boolean float32) {
        try {
            // sized for the uncompressed samples up front: growing a 20 MB buffer by doubling copies it several times
            long samples = (long) v.width() * v.height() * v.depth() * (float32 ? 4 : 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 8, samples + 65536));
            if (float32) {
                // uncompressed: Deflate on sigmoid floats saves little and was the largest part of an assembly
                TiffWriter.writeFloat32(v, out, TiffWriter.Compression.NONE);
            } else {
                TiffWriter.writeUint8(v, out);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
