package org.zooscope.core.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.zarr.ObjectSource;
import org.zooscope.core.zarr.ZarrArray;

/**
 * Reads boxes of a hosted dataset's pyramid, chunk by chunk: only the chunks under the box are fetched, so a reader
 * never holds more than the box it returns. Thread-safe.
 */
public final class DatasetReader {
    private final ObjectStore store;
    private final String datasetId;
    private final ObjectSource source;
    private final ConcurrentHashMap<Integer, ZarrArray> levels = new ConcurrentHashMap<>();
    private volatile DatasetCard card;

    public DatasetReader(ObjectStore store, String datasetId) {
        this.store = store;
        this.datasetId = datasetId;
        String image = DatasetKeys.image(datasetId) + "/";
        this.source = key -> {
            try {
                return Optional.of(store.get(image + key));
            } catch (ObjectStore.NoSuchObjectException e) {
                return Optional.empty();
            }
        };
    }

    /** The card; {@link ObjectStore.NoSuchObjectException} when there is no such dataset. */
    public DatasetCard card() {
        DatasetCard c = card;
        if (c == null) {
            c = EventJson.fromBytes(store.get(DatasetKeys.card(datasetId)), DatasetCard.class);
            card = c;
        }
        return c;
    }

    public DatasetStats stats() {
        return EventJson.fromBytes(store.get(DatasetKeys.stats(datasetId)), DatasetStats.class);
    }

    /** The shape {@code [depth, height, width]} of pyramid level {@code level} (0 = full resolution). */
    public int[] shape(int level) {
        return array(level).meta().shape();
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
        if (w < 1 || h < 1 || x < 0 || y < 0 || z < 0 || z >= shape[0] || x + w > shape[2] || y + h > shape[1]) {
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
