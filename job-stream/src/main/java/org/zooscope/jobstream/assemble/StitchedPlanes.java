package org.zooscope.jobstream.assemble;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.zooscope.core.events.AssembleTask;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/**
 * The stitched per-slice planes a slice assembly leaves for the final one (float32, one object per slice), and a
 * {@link Volume} that reads them from the store as the stack writers ask for them, so the final assembly of a deep
 * volume holds a few planes in memory, not the volume.
 */
final class StitchedPlanes implements Volume {
    /**
     * Decoded planes kept so that two writers reading the same stack side by side (the probabilities and the
     * segmentation TIFFs) fetch each plane once; a writer that falls further behind fetches again. Kept small because
     * several stacks are written at once.
     */
    private static final int CACHED_PLANES = 2;

    private final ObjectStore store;
    private final IntFunction<String> keyOf;
    private final int width;
    private final int height;
    private final int depth;
    private final Map<Integer, float[]> cache;

    private StitchedPlanes(ObjectStore store, IntFunction<String> keyOf, int width, int height, int depth) {
        this.store = store;
        this.keyOf = keyOf;
        this.width = width;
        this.height = height;
        this.depth = depth;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, float[]> eldest) {
                return size() > CACHED_PLANES;
            }
        };
    }

    static String structureKey(AssembleTask t, String structure, int z) {
        return t.stitchedPrefix() + "structures/" + structure + "/" + z + ".f32";
    }

    static String modelKey(AssembleTask t, String modelId, int z) {
        return t.stitchedPrefix() + "models/" + modelId + "/" + z + ".f32";
    }

    static String uncertaintyKey(AssembleTask t, String modelId, int z) {
        return t.stitchedPrefix() + "uncertainty/" + modelId + "/" + z + ".f32";
    }

    static StitchedPlanes of(ObjectStore store, AssembleTask t, IntFunction<String> keyOf) {
        return new StitchedPlanes(store, keyOf, t.width(), t.height(), t.depth());
    }

    /** 255 where this volume's value is at least {@code threshold}, else 0: an 8-bit segmentation, same cache. */
    Volume thresholded(double threshold) {
        return new Thresholded(this, threshold);
    }

    private float[] plane(int z) {
        if (z < 0 || z >= depth) {
            throw new IndexOutOfBoundsException("slice " + z + " of " + depth);
        }
        synchronized (cache) {
            float[] p = cache.get(z);
            if (p != null) {
                return p;
            }
        }
        float[] p = PlaneCodec.decode(store.get(keyOf.apply(z)), width * height);
        synchronized (cache) {
            cache.put(z, p);
        }
        return p;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int depth() {
        return depth;
    }

    @Override
    public DataType dataType() {
        return DataType.FLOAT32;
    }

    @Override
    public VoxelSize voxelSize() {
        return VoxelSize.unknown();
    }

    @Override
    public void copyPlane(int z, float[] dst) {
        System.arraycopy(plane(z), 0, dst, 0, width * height);
    }

    @Override
    public void copyBlock(int x, int y, int z, int w, int h, float[] dst) {
        if (x < 0 || y < 0 || w < 0 || h < 0 || x + w > width || y + h > height) {
            throw new IndexOutOfBoundsException("block " + w + "x" + h + " at " + x + "," + y + " outside " + width + "x" + height);
        }
        float[] p = plane(z);
        for (int r = 0; r < h; r++) {
            System.arraycopy(p, (y + r) * width + x, dst, r * w, w);
        }
    }

    private record Thresholded(StitchedPlanes source, double threshold) implements Volume {
        @Override
        public int width() {
            return source.width;
        }

        @Override
        public int height() {
            return source.height;
        }

        @Override
        public int depth() {
            return source.depth;
        }

        @Override
        public DataType dataType() {
            return DataType.UINT8;
        }

        @Override
        public VoxelSize voxelSize() {
            return source.voxelSize();
        }

        @Override
        public void copyPlane(int z, float[] dst) {
            source.copyPlane(z, dst);
            apply(dst, source.width * source.height);
        }

        @Override
        public void copyBlock(int x, int y, int z, int w, int h, float[] dst) {
            source.copyBlock(x, y, z, w, h, dst);
            apply(dst, w * h);
        }

        private void apply(float[] values, int n) {
            for (int i = 0; i < n; i++) {
                values[i] = values[i] >= threshold ? 255f : 0f;
            }
        }
    }
}
