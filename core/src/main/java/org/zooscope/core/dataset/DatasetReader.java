package org.zooscope.core.dataset;

import org.zooscope.core.events.Region;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.Views;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.store.ObjectStore;

/**
 * Reads a hosted dataset: its card, statistics, the layers full runs added, and boxes of its pyramid (chunk by chunk,
 * see {@link PyramidReader}). Thread-safe.
 */
public final class DatasetReader {
    private final ObjectStore store;
    private final String datasetId;
    private final PyramidReader image;
    private volatile DatasetCard card;

    public DatasetReader(ObjectStore store, String datasetId) {
        this.store = store;
        this.datasetId = datasetId;
        this.image = new PyramidReader(store, DatasetKeys.image(datasetId));
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

    /** The voxels' pyramid. */
    public PyramidReader image() {
        return image;
    }

    /** The shape {@code [depth, height, width]} of pyramid level {@code level} (0 = full resolution). */
    public int[] shape(int level) {
        return image.shape(level);
    }

    /**
     * A region of the full-resolution level as a volume whose planes are read when asked for (a writer walking them
     * holds one plane, never the region).
     */
    public Volume region(Region r) {
        DatasetCard c = card();
        return Views.ofPlanes(r.width(), r.height(), r.depth(),
                DataType.valueOf(c.dtype().toUpperCase(java.util.Locale.ROOT)),
                c.voxelSize() == null ? VoxelSize.unknown() : c.voxelSize(),
                z -> image.readBox(0, r.x(), r.y(), r.z() + z, r.width(), r.height()));
    }

    /** See {@link PyramidReader#readBox}. */
    public float[] readBox(int level, int x, int y, int z, int w, int h) {
        return image.readBox(level, x, y, z, w, h);
    }

    /**
     * The complete layers (those whose {@code layer.json} exists), oldest first. Lists one level of the layers prefix,
     * not the layers' chunks.
     */
    public List<DatasetLayer> layers() {
        List<DatasetLayer> out = new ArrayList<>();
        for (String jobId : store.children(DatasetKeys.layersPrefix(datasetId))) {
            layer(jobId).ifPresent(out::add);
        }
        out.sort(java.util.Comparator.comparing(DatasetLayer::createdAt,
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        return out;
    }

    /** The layer a full run {@code jobId} added, if it is complete. */
    public Optional<DatasetLayer> layer(String jobId) {
        if (!DatasetKeys.isValidId(jobId)) {
            return Optional.empty();
        }
        try {
            return Optional.of(EventJson.fromBytes(store.get(DatasetKeys.layerRecord(datasetId, jobId)),
                    DatasetLayer.class));
        } catch (ObjectStore.NoSuchObjectException e) {
            return Optional.empty();
        }
    }

    /**
     * The probability pyramid of {@code structure} in {@code layer}; empty when the layer has no such structure or
     * names a key outside its own prefix.
     */
    public Optional<PyramidReader> layerImage(DatasetLayer layer, String structure) {
        String key = layer.images().get(structure);
        if (key == null || !key.startsWith(DatasetKeys.layer(datasetId, layer.jobId())) || key.contains("..")) {
            return Optional.empty();
        }
        return Optional.of(new PyramidReader(store, key.endsWith("/") ? key.substring(0, key.length() - 1) : key));
    }
}
