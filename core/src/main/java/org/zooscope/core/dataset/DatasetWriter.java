package org.zooscope.core.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.zooscope.core.enhance.AutoEnhancer;
import org.zooscope.core.enhance.EnhanceParameters;
import org.zooscope.core.enhance.EnhanceSettings;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.SliceStats;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.core.zarr.Compressor;
import org.zooscope.core.zarr.ObjectSink;
import org.zooscope.core.zarr.OmeZarr;
import org.zooscope.core.zarr.ZarrDtype;

/**
 * Ingests a volume as a hosted dataset, one slice at a time (memory: one slice and its pyramid, whatever the depth):
 * each slice goes into every level of the OME-Zarr pyramid (chunks 1 × 256 × 256, the voxels in their own sample
 * type), into the whole-volume histogram, and every few slices into the enhancement measurements. The statistics and
 * then the card are written last; a failure deletes everything written, so a dataset either exists whole or not at all.
 */
public final class DatasetWriter {

    /** Chunk side in x and y: a chunk of 16-bit voxels is 128 KiB before compression, cheap to read. */
    public static final int CHUNK_XY = 256;
    /** Most pyramid levels (each halves x and y; levels stop once a slice fits one chunk). */
    public static final int MAX_LEVELS = 10;
    /** Histogram bins of the raw voxels. */
    public static final int RAW_BINS = 4096;
    /** Histogram bins of the enhanced voxels (0..255). */
    public static final int ENHANCED_BINS = 256;
    /** Slices measured for the enhancement parameters (evenly spread). */
    public static final int ENHANCE_SAMPLES = 8;
    /**
     * Side of the window of each sampled slice the enhancement is measured on: sample {@code i} takes the window at
     * position {@code (i mod 3, (i / 3) mod 3)} of a 3 × 3 grid over the slice, so the samples spread over the whole
     * plane. Measuring whole slices would cost a 4096 × 4096 volume several seconds and a few hundred MiB of
     * denoising buffers per sample; a 512 × 512 window holds enough voxels for the percentiles and the noise level.
     */
    public static final int ENHANCE_SIDE = 512;

    /** The slices to ingest, read one at a time. */
    public interface Slices {
        int width();

        int height();

        int depth();

        DataType dataType();

        VoxelSize voxelSize();

        /** The smallest and largest voxel value of the whole volume (the histogram's range). */
        double min();

        double max();

        float[] slice(int z) throws IOException;
    }

    private final ObjectStore store;
    private final AutoEnhancer enhancer = new AutoEnhancer(EnhanceSettings.cdeep3m2());

    public DatasetWriter(ObjectStore store) {
        this.store = store;
    }

    /**
     * Writes the dataset described by {@code draft} (its shape fields are filled in from {@code slices}); calls
     * {@code progress} with the number of slices written so far. Returns the stored card.
     */
    public DatasetCard write(DatasetCard draft, Slices slices, IntConsumer progress) {
        String id = draft.id();
        if (store.size(DatasetKeys.card(id)).isPresent()) {
            throw new IllegalStateException("dataset '" + id + "' exists already");
        }
        // no card: anything under the prefix is what an interrupted ingest left (a dataset is whole or absent)
        store.deletePrefix(DatasetKeys.prefix(id));
        try {
            return writeAll(draft, slices, progress);
        } catch (IOException e) {
            store.deletePrefix(DatasetKeys.prefix(id));
            throw new UncheckedIOException("ingest of dataset '" + id + "' failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            store.deletePrefix(DatasetKeys.prefix(id));
            throw e;
        }
    }

    private DatasetCard writeAll(DatasetCard draft, Slices s, IntConsumer progress) throws IOException {
        String id = draft.id();
        int w = s.width();
        int h = s.height();
        int d = s.depth();
        if (w < 1 || h < 1 || d < 1) {
            throw new IllegalArgumentException("a dataset needs at least one voxel, not " + w + " x " + h + " x " + d);
        }
        OmeZarr.Options options = options(s.dataType(), draft.name());
        String image = DatasetKeys.image(id) + "/";
        ObjectSink sink = (key, bytes) -> store.put(image + key, bytes, contentType(key));
        int levels = OmeZarr.writeImageMetadata(w, h, d, s.voxelSize(), sink, options);
        double lo = s.dataType() == DataType.UINT8 || s.dataType() == DataType.UINT16 ? s.dataType().minValue() : s.min();
        double hi = s.dataType() == DataType.UINT8 || s.dataType() == DataType.UINT16 ? s.dataType().maxValue() : s.max();
        SliceStats raw = null;
        List<Integer> sampled = sampledSlices(d);
        List<AutoEnhancer.SliceReport> reports = new ArrayList<>();
        AutoEnhancer.Workspace ws = new AutoEnhancer.Workspace();
        int ew = Math.min(w, ENHANCE_SIDE);
        int eh = Math.min(h, ENHANCE_SIDE);
        float[] window = new float[ew * eh];
        float[] scratch = new float[ew * eh];
        for (int z = 0; z < d; z++) {
            float[] plane = s.slice(z);
            if (plane.length != w * h) {
                throw new IllegalArgumentException("slice " + z + " has " + plane.length + " voxels, not " + w + " x " + h);
            }
            OmeZarr.writeImageSlice(new FloatVolume(w, h, List.of(plane), s.dataType(), s.voxelSize()), z, d, sink, options);
            SliceStats st = SliceStats.of(plane, lo, hi, RAW_BINS);
            raw = raw == null ? st : raw.merge(st);
            if (sampled.contains(z)) {
                window(plane, w, h, sampled.indexOf(z), window, ew, eh);
                reports.add(enhancer.enhancePlane(window, ew, eh, s.dataType(), scratch, ws));
            }
            progress.accept(z + 1);
        }
        EnhanceParameters params = EnhanceParameters.medianOf(reports);
        SliceStats enhanced = null;
        for (int i = 0; i < sampled.size(); i++) {
            // the sampled windows once more, now with the fixed parameters: what a model sees after enhancement
            window(s.slice(sampled.get(i)), w, h, i, window, ew, eh);
            enhancer.enhancePlane(window, ew, eh, s.dataType(), scratch, ws, params);
            SliceStats st = SliceStats.of(scratch, 0, 255, ENHANCED_BINS);
            enhanced = enhanced == null ? st : enhanced.merge(st);
        }
        store.put(DatasetKeys.stats(id), EventJson.toBytes(new DatasetStats(raw, params, enhanced, sampled.size())),
                "application/json");
        DatasetCard card = draft.withShape(w, h, d, s.dataType().name().toLowerCase(java.util.Locale.ROOT),
                s.voxelSize(), levels, draft.createdAt() == null ? Instant.now() : draft.createdAt());
        store.put(DatasetKeys.card(id), EventJson.toBytes(card), "application/json");
        return card;
    }

    /** Copies the {@code ew × eh} window of sample {@code i} (see {@link #ENHANCE_SIDE}) out of a plane. */
    static void window(float[] plane, int w, int h, int i, float[] out, int ew, int eh) {
        int x0 = (i % 3) * (w - ew) / 2;
        int y0 = (i / 3 % 3) * (h - eh) / 2;
        for (int y = 0; y < eh; y++) {
            System.arraycopy(plane, (y0 + y) * w + x0, out, y * ew, ew);
        }
    }

    static List<Integer> sampledSlices(int depth) {
        int n = Math.min(depth, ENHANCE_SAMPLES);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int z = (int) ((i + 0.5) * depth / n);
            if (!out.contains(z)) {
                out.add(z);
            }
        }
        return out;
    }

    static OmeZarr.Options options(DataType type, String name) {
        ZarrDtype dtype = switch (type) {
            case UINT8 -> ZarrDtype.UINT8;
            case UINT16 -> ZarrDtype.UINT16;
            case INT32 -> ZarrDtype.INT32;
            case FLOAT32 -> ZarrDtype.FLOAT32;
        };
        return new OmeZarr.Options(dtype, 1, CHUNK_XY, Compressor.zlib(1), MAX_LEVELS, name == null ? "dataset" : name);
    }

    private static String contentType(String key) {
        return key.endsWith(".zarray") || key.endsWith(".zattrs") || key.endsWith(".zgroup") ? "application/json"
                : "application/octet-stream";
    }
}
