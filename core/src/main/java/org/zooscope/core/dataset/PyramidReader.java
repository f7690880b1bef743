package org.zooscope.core.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.zarr.ObjectSource;
import org.zooscope.core.zarr.ZarrArray;

/**
 * Reads boxes of one OME-Zarr pyramid in the store (a dataset's image or a layer's structure), chunk by chunk: only
 * the chunks under the box are fetched, so a reader never holds more than the box it returns plus one chunk.
 * Thread-safe; each level's {@code .zarray} is read once.
 */
public final class PyramidReader {
    private final ObjectSource source;
    private final String group;
    private final ConcurrentHashMap<Integer, ZarrArray> levels = new ConcurrentHashMap<>();

    /** @param group the pyramid's group key, without a trailing slash (e.g. {@link DatasetKeys#image}) */
    public PyramidReader(ObjectStore store, String group) {
        this.group = group;
        String prefix = group + "/";
        this.source = key -> {
            try {
                return Optional.of(store.get(prefix + key));
            } catch (ObjectStore.NoSuchObjectException e) {
                return Optional.empty();
            }
        };
    }

    public String group() {
        return group;
    }

    /** The shape {@code [depth, height, width]} of level {@code level} (0 = full resolution). */
    public int[] shape(int level) {
        return array(level).meta().shape();
    }

    /** The chunk shape {@code [z, y, x]} of level {@code level}. */
    public int[] chunks(int level) {
        return array(level).meta().chunks();
    }

    /**
     * The voxels of the {@code w × h} box at {@code (x, y)} of slice {@code z} at {@code level}, row-major, as floats
     * (the stored type's values).
     *
     * @throws IllegalArgumentException when the box is not inside the level
     */
    public float[] readBox(int level, int x, int y, int z, int w, int h) {
        ZarrArray a = array(level);
        int[] shape = a.meta().shape();
        if (w < 1 || h < 1 || x < 0 || y < 0 || z < 0 || z >= shape[0] || (long) x + w > shape[2]
                || (long) y + h > shape[1]) {
            throw new IllegalArgumentException("box x " + x + ", y " + y + ", z " + z + ", " + w + " x " + h
                    + " is outside level " + level + " (" + shape[2] + " x " + shape[1] + " x " + shape[0] + ")");
        }
        int[] chunks = a.meta().chunks();
        int cz = chunks[0];
        int cy = chunks[1];
        int cx = chunks[2];
        float[] out = new float[w * h];
        try {
            for (int iy = y / cy; iy <= (y + h - 1) / cy; iy++) {
                for (int ix = x / cx; ix <= (x + w - 1) / cx; ix++) {
                    float[] c = a.readChunk(source, new int[] {z / cz, iy, ix});
                    int dz = z % cz;
                    int y0 = Math.max(y, iy * cy);
                    int y1 = Math.min(y + h, (iy + 1) * cy);
                    int x0 = Math.max(x, ix * cx);
                    int x1 = Math.min(x + w, (ix + 1) * cx);
                    for (int yy = y0; yy < y1; yy++) {
                        System.arraycopy(c, (dz * cy + (yy - iy * cy)) * cx + (x0 - ix * cx), out,
                                (yy - y) * w + (x0 - x), x1 - x0);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private ZarrArray array(int level) {
        return levels.computeIfAbsent(level, l -> {
            try {
                return ZarrArray.open(source, Integer.toString(l));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
