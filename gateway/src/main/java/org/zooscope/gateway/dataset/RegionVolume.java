package org.zooscope.gateway.dataset;

import org.zooscope.core.dataset.PyramidReader;
import org.zooscope.core.events.Region;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/**
 * A region of a dataset's full-resolution level as a volume read lazily, plane by plane, from the store: a writer that
 * walks its planes (the TIFF writer) holds one plane at a time, never the region.
 */
final class RegionVolume implements Volume {
    private final PyramidReader pyramid;
    private final Region r;
    private final DataType type;
    private final VoxelSize voxelSize;

    RegionVolume(PyramidReader pyramid, Region region, DataType type, VoxelSize voxelSize) {
        this.pyramid = pyramid;
        this.r = region;
        this.type = type;
        this.voxelSize = voxelSize;
    }

    @Override
    public int width() {
        return r.width();
    }

    @Override
    public int height() {
        return r.height();
    }

    @Override
    public int depth() {
        return r.depth();
    }

    @Override
    public DataType dataType() {
        return type;
    }

    @Override
    public VoxelSize voxelSize() {
        return voxelSize;
    }

    @Override
    public void copyPlane(int z, float[] dst) {
        copyBlock(0, 0, z, r.width(), r.height(), dst);
    }

    @Override
    public void copyBlock(int x, int y, int z, int w, int h, float[] dst) {
        if (z < 0 || z >= r.depth() || x < 0 || y < 0 || x + w > r.width() || y + h > r.height()) {
            throw new IndexOutOfBoundsException("block outside the region");
        }
        float[] box = pyramid.readBox(0, r.x() + x, r.y() + y, r.z() + z, w, h);
        System.arraycopy(box, 0, dst, 0, box.length);
    }
}
