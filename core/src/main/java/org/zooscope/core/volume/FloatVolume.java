package org.zooscope.core.volume;

import java.util.List;
import java.util.Objects;

/**
 * A volume held in memory as one {@code float[]} per plane.
 *
 * <p>Ownership: the constructor takes the plane arrays as given (no copy) and {@link #plane(int)} returns them as
 * they are (no copy). The arrays must not be modified once the volume is shared: the volume is then immutable and
 * safe to read from several threads. Whoever builds a volume hands its arrays over to it.
 */
public final class FloatVolume implements Volume {

    private final int width;
    private final int height;
    private final float[][] planes;
    private final DataType sourceType;
    private final VoxelSize voxelSize;

    /**
     * @param width      plane width, &ge; 1
     * @param height     plane height, &ge; 1
     * @param planes     at least one plane, each of exactly {@code width*height} samples (taken over, not copied)
     * @param sourceType type of the samples in the source
     * @param voxelSize  physical voxel size, {@link VoxelSize#unknown()} if not known
     * @throws IllegalArgumentException if sizes disagree
     */
    public FloatVolume(int width, int height, List<float[]> planes, DataType sourceType, VoxelSize voxelSize) {
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("plane size must be >= 1x1 and fit one array but was " + width + "x" + height);
        }
        Objects.requireNonNull(planes, "planes");
        if (planes.isEmpty()) {
            throw new IllegalArgumentException("a volume needs at least one plane");
        }
        this.width = width;
        this.height = height;
        this.planes = new float[planes.size()][];
        int n = width * height;
        for (int z = 0; z < planes.size(); z++) {
            float[] p = Objects.requireNonNull(planes.get(z), "plane " + z);
            if (p.length != n) {
                throw new IllegalArgumentException("plane " + z + " has " + p.length + " samples, expected " + n);
            }
            this.planes[z] = p;
        }
        this.sourceType = Objects.requireNonNull(sourceType, "sourceType");
        this.voxelSize = Objects.requireNonNull(voxelSize, "voxelSize");
    }

    /** A deep copy of any volume into memory. */
    public static FloatVolume copyOf(Volume v) {
        if (v instanceof FloatVolume f) {
            float[][] copy = new float[f.planes.length][];
            for (int z = 0; z < copy.length; z++) {
                copy[z] = f.planes[z].clone();
            }
            return new FloatVolume(f.width, f.height, List.of(copy), f.sourceType, f.voxelSize);
        }
        float[][] copy = new float[v.depth()][v.planeSize()];
        for (int z = 0; z < copy.length; z++) {
            v.copyPlane(z, copy[z]);
        }
        return new FloatVolume(v.width(), v.height(), List.of(copy), v.dataType(), v.voxelSize());
    }

    /** A volume of {@code depth} zero-filled planes. */
    public static FloatVolume zeros(int width, int height, int depth, DataType sourceType, VoxelSize voxelSize) {
        float[][] p = new float[depth][width * height];
        return new FloatVolume(width, height, List.of(p), sourceType, voxelSize);
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
        return planes.length;
    }

    @Override
    public DataType dataType() {
        return sourceType;
    }

    @Override
    public VoxelSize voxelSize() {
        return voxelSize;
    }

    /** Plane {@code z} itself (no copy): row-major, x fastest, {@code width*height} samples. */
    public float[] plane(int z) {
        Objects.checkIndex(z, planes.length);
        return planes[z];
    }

    /** The same planes with another voxel size (no copy). */
    public FloatVolume withVoxelSize(VoxelSize newVoxelSize) {
        return new FloatVolume(width, height, List.of(planes), sourceType, newVoxelSize);
    }

    /** The same planes with another recorded source type (no copy). */
    public FloatVolume withDataType(DataType newType) {
        return new FloatVolume(width, height, List.of(planes), newType, voxelSize);
    }

    @Override
    public void copyPlane(int z, float[] dst) {
        Objects.checkIndex(z, planes.length);
        Bounds.checkDst(dst, (long) width * height);
        System.arraycopy(planes[z], 0, dst, 0, width * height);
    }

    @Override
    public void copyBlock(int x, int y, int z, int w, int h, float[] dst) {
        Bounds.checkRegion(width, height, planes.length, x, y, z, w, h, 1);
        Bounds.checkDst(dst, (long) w * h);
        float[] p = planes[z];
        for (int row = 0; row < h; row++) {
            System.arraycopy(p, (y + row) * width + x, dst, row * w, w);
        }
    }

    @Override
    public String toString() {
        return "FloatVolume[" + width + "x" + height + "x" + planes.length + ", " + sourceType + ", " + voxelSize + "]";
    }
}
