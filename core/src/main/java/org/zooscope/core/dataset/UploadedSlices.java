package org.zooscope.core.dataset;

import java.util.Locale;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.UploadPlanes;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.VoxelSize;

/**
 * An upload's stored planes (see {@link UploadedVolume}) as the slices of a
 * dataset, read from the store one at a time. The voxel size is the upload's unless one is given.
 */
public final class UploadedSlices implements DatasetWriter.Slices {
    private final ObjectStore store;
    private final UploadedVolume volume;
    private final VoxelSize voxelSize;

    /** @param voxelSize overrides the upload's own; null keeps it */
    public UploadedSlices(ObjectStore store, UploadedVolume volume, VoxelSize voxelSize) {
        this.store = store;
        this.volume = volume;
        this.voxelSize = voxelSize != null ? voxelSize : voxelSizeOf(volume);
    }

    static VoxelSize voxelSizeOf(UploadedVolume v) {
        if (v.voxelSizeX() == null || v.voxelSizeY() == null || v.voxelSizeZ() == null || v.voxelUnit() == null) {
            return VoxelSize.unknown();
        }
        return new VoxelSize(v.voxelSizeX(), v.voxelSizeY(), v.voxelSizeZ(), v.voxelUnit());
    }

    @Override
    public int width() {
        return volume.width();
    }

    @Override
    public int height() {
        return volume.height();
    }

    @Override
    public int depth() {
        return volume.depth();
    }

    @Override
    public DataType dataType() {
        return DataType.valueOf(volume.dataType().toUpperCase(Locale.ROOT));
    }

    @Override
    public VoxelSize voxelSize() {
        return voxelSize;
    }

    @Override
    public double min() {
        return volume.min();
    }

    @Override
    public double max() {
        return volume.max();
    }

    @Override
    public float[] slice(int z) {
        return UploadPlanes.read(store, volume, z);
    }
}
