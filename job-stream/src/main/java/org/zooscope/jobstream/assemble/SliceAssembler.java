package org.zooscope.jobstream.assemble;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.events.SliceAssembleTask;
import org.zooscope.core.events.TileTask;
import org.zooscope.core.render.DisplayRange;
import org.zooscope.core.render.OverlayLayer;
import org.zooscope.core.render.OverlayRenderer;
import org.zooscope.core.render.OverlayStyle;
import org.zooscope.core.render.StructureColours;
import org.zooscope.core.render.Thumbnails;
import org.zooscope.core.rescale.Resampler;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.tiling.Stitcher;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.jobstream.plan.Planner;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.zarr.OmeZarr;

/**
 * Assembles one slice as soon as its tiles are done: stitches each model's tiles (seamless blending), averages the
 * models of each structure into that structure's ensemble, stores the stitched planes for the final assembly
 * ({@link StitchedPlanes}) and writes the slice's chunks of the OME-Zarr (and the job's thumbnail, from the middle
 * slice). Keys are
 * deterministic, so assembling a slice twice is harmless.
 */
public final class SliceAssembler {
    private final ObjectStore store;
    private final RecentEnsembles recent;

    public SliceAssembler(ObjectStore store, RecentEnsembles recent) {
        this.store = store;
        this.recent = recent;
    }

    public void assemble(SliceAssembleTask slice) {
        AssembleTask task = slice.job();
        int z = slice.z();
        if (z < 0 || z >= task.depth()) {
            throw new IllegalArgumentException("slice " + z + " is outside the job's " + task.depth() + " slices");
        }
        int size = task.width() * task.height();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        Map<String, float[]> sums = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (AssembleTask.ModelTiles m : task.models()) {
            TileGrid grid = m.plane() == null ? m.layout().gridOver(task.width(), task.height())
                    : m.layout().gridOver(m.plane().width(), m.plane().height());
            float[] plane = stitch(task, m, grid, z, false);
            if (task.models().size() > 1) {
                AssemblyIo.run(() -> put(StitchedPlanes.modelPlaneKey(task, m.modelId(), z), plane), writes);
            }
            if (task.uncertainty()) {
                float[] variance = stitch(task, m, grid, z, true);
                AssemblyIo.run(() -> put(StitchedPlanes.uncertaintyKey(task, m.modelId(), z), variance), writes);
            }
            float[] sum = sums.computeIfAbsent(m.structure(), k -> new float[size]);
            for (int i = 0; i < size; i++) {
                sum[i] += plane[i];
            }
            counts.merge(m.structure(), 1, Integer::sum);
        }
        List<float[]> ensembles = new ArrayList<>();
        Map<String, float[]> byStructure = new LinkedHashMap<>();
        sums.forEach((structure, sum) -> {
            float inv = 1f / counts.get(structure);
            for (int i = 0; i < size; i++) {
                sum[i] *= inv;
            }
            ensembles.add(sum);
            byStructure.put(structure, sum);
            writeZarrSlice(task, structure, z, sum, writes);
            if (task.isFullRun()) {
                writeSegmentationSlice(task, structure, z, sum, writes);
            }
        });
        if (!task.isFullRun() && z == task.depth() / 2) {
            // the overlays themselves are rendered by the gateway when someone opens one (most never are); a full
            // run is looked at through the dataset viewer's layer tiles
            writeThumbnail(task, slice.inputKey(), ensembles);
        }
        AssemblyIo.joinAll(writes);
        if (!task.isFullRun()) {
            // only once its chunks are stored: the final assembly may use either
            byStructure.forEach((structure, plane) -> recent.put(task.jobId(), structure, z, plane));
        }
    }

    /** This slice's chunks of the structure's OME-Zarr, every level (the final assembly adds the metadata). */
    private void writeZarrSlice(AssembleTask task, String structure, int z, float[] plane, List<CompletableFuture<?>> writes) {
        String prefix = Assembler.zarrImagePrefix(task, structure);
        Volume slice = new FloatVolume(task.width(), task.height(), List.of(plane), DataType.FLOAT32, VoxelSize.unknown());
        try {
            OmeZarr.writeImageSlice(slice, z, task.depth(), (k, bytes) -> AssemblyIo.run(
                    () -> store.put(prefix + k, bytes, "application/octet-stream"), writes), Assembler.zarrOptions(task, structure));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full run's mask (255 at or above the threshold) into its layer's segmentation pyramid (nearest levels). */
    private void writeSegmentationSlice(AssembleTask task, String structure, int z, float[] plane,
                                        List<CompletableFuture<?>> writes) {
        float[] mask = new float[plane.length];
        float t = (float) task.threshold();
        for (int i = 0; i < plane.length; i++) {
            mask[i] = plane[i] >= t ? 255f : 0f;
        }
        String prefix = Assembler.segmentationImagePrefix(task, structure);
        Volume slice = new FloatVolume(task.width(), task.height(), List.of(mask), DataType.UINT8, VoxelSize.unknown());
        try {
            OmeZarr.writeImageSlice(slice, z, task.depth(), (k, bytes) -> AssemblyIo.run(
                    () -> store.put(prefix + k, bytes, "application/octet-stream"), writes),
                    Assembler.segmentationOptions(task, structure), OmeZarr.Downsampling.NEAREST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(String key, float[] plane) {
        store.put(key, PlaneCodec.encode(plane), "application/octet-stream");
    }

    /** The slice's model-ready input under the overlay: for a job over a dataset, the region cut out of its box. */
    private float[] inputPlane(AssembleTask task, String inputKey) {
        return StitchedPlanes.regionOfInput(task, PlaneCodec.decode(inputKey, store.get(inputKey), StitchedPlanes.inputSamples(task)));
    }

    /** One model's tiles of slice {@code z} (probabilities, or their variance), fetched in parallel, stitched. */
    private float[] stitch(AssembleTask task, AssembleTask.ModelTiles m, TileGrid grid, int z, boolean variance) {
        List<Tile> tiles = grid.tiles();
        List<float[]> fetched = AssemblyIo.inParallel(tiles.size(), i -> {
            String key = StorageKeys.Jobs.tile(task.jobId(), m.modelId(), z, tiles.get(i).index());
            return PlaneCodec.decode(store.get(variance ? TileTask.varianceKey(key) : key),
                    grid.stitchPart(tiles.get(i)).samples());
        });
        Stitcher stitcher = new Stitcher(grid.width(), grid.height(), grid);
        for (int i = 0; i < tiles.size(); i++) {
            stitcher.addPart(tiles.get(i), fetched.get(i));
        }
        if (m.plane() != null) {
            // the model ran on the input resampled to its pixel size: its map goes back onto the input's grid, so
            // every model of an ensemble is averaged pixel for pixel
            return Resampler.resample(stitcher.result(), grid.width(), grid.height(), task.width(), task.height());
        }
        return cropToRegion(task, m.layout(), grid, stitcher.result());
    }

    /** A region's tiles cover a box around it (whole tiles of the full run's grid): the region is cut out of it. */
    private static float[] cropToRegion(AssembleTask task, org.zooscope.core.tiling.TileLayout layout, TileGrid grid,
                                        float[] stitched) {
        if (layout.window() == null || task.window() == null) {
            return stitched;
        }
        int ox = task.window().roiX() - layout.window().originX();
        int oy = task.window().roiY() - layout.window().originY();
        float[] out = new float[task.width() * task.height()];
        for (int y = 0; y < task.height(); y++) {
            System.arraycopy(stitched, (y + oy) * grid.width() + ox, out, y * task.width(), task.width());
        }
        return out;
    }

    /** The job's thumbnail, from its middle slice: CDeep3M's green look for one structure, one colour per structure otherwise. */
    private void writeThumbnail(AssembleTask task, String inputKey, List<float[]> ensembles) {
        int w = task.width();
        int h = task.height();
        OverlayStyle style;
        if (ensembles.size() == 1) {
            style = OverlayStyle.cdeep3m();
        } else {
            List<OverlayLayer> layers = new ArrayList<>();
            for (int i = 0; i < ensembles.size(); i++) {
                layers.add(OverlayLayer.of(StructureColours.rgb(i), 0.5));
            }
            style = OverlayStyle.alpha(layers);
        }
        double low = task.displayLow();
        double high = task.displayHigh() > low ? task.displayHigh() : low + 1;
        DisplayRange range = new DisplayRange(low, high);
        float[] input = inputPlane(task, inputKey);
        try {
            int[] rgb = OverlayRenderer.renderRgb(input, w, h, range, ensembles, style);
            ByteArrayOutputStream thumb = new ByteArrayOutputStream();
            Thumbnails.writePng(Thumbnails.rgb(rgb, w, h, 256), thumb);
            store.put(Assembler.thumbnailKey(task), thumb.toByteArray(), "image/png");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
