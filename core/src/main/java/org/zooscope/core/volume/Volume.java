package org.zooscope.core.volume;

/**
 * A z-stack of 2D single-channel planes. Samples are addressed row-major with x fastest:
 * sample (x, y) of a plane is at index {@code y * width() + x}.
 *
 * <p>All sample values are exposed as {@code float} in the units of the source file (no normalisation); see
 * {@link DataType} for the original type. Implementations in this package are immutable after construction and safe
 * to read from several threads at once. Copy methods write into caller-owned arrays and never keep a reference to them.
 */
public interface Volume {

    /** Plane width in pixels (x), &ge; 1. */
    int width();

    /** Plane height in pixels (y), &ge; 1. */
    int height();

    /** Number of planes (z), &ge; 1. */
    int depth();

    /** Type of the samples in the source. */
    DataType dataType();

    /** Physical voxel size, or {@link VoxelSize#unknown()}. */
    VoxelSize voxelSize();

    /**
     * Copies plane {@code z} into {@code dst[0 .. width*height)}.
     *
     * @throws IndexOutOfBoundsException if {@code z} is outside {@code [0, depth)}
     * @throws IllegalArgumentException  if {@code dst} is shorter than {@code width*height}
     */
    void copyPlane(int z, float[] dst);

    /**
     * Copies the {@code w × h} region at {@code (x, y)} of plane {@code z} into {@code dst[0 .. w*h)}, row-major.
     * The region must lie inside the plane; use {@code TileExtractor} for regions that reach past the edge.
     *
     * @throws IndexOutOfBoundsException if the region is not inside the volume
     * @throws IllegalArgumentException  if {@code dst} is shorter than {@code w*h}
     */
    void copyBlock(int x, int y, int z, int w, int h, float[] dst);

    /** Number of samples in one plane. */
    default int planeSize() {
        return width() * height();
    }

    /** Total number of samples, {@code width × height × depth}. */
    default long sampleCount() {
        return (long) width() * height() * depth();
    }

    /** A view of one plane as a one-plane volume (no copy). */
    default Volume slice(int z) {
        return Views.slice(this, z);
    }

    /** A view of the sub-volume {@code [x, x+w) × [y, y+h) × [z, z+d)} (no copy). */
    default Volume region(int x, int y, int z, int w, int h, int d) {
        return Views.region(this, x, y, z, w, h, d);
    }
}
