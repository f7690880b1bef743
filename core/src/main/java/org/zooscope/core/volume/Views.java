package org.zooscope.core.volume;

import java.util.Objects;
import java.util.function.IntFunction;

/**
 * No-copy views of a {@link Volume}: a single plane, a box-shaped region, a thresholded copy's values, or planes
 * fetched on demand. A view reads through to its source, so it is as thread-safe as the source (every volume in this
 * package is immutable).
 */
public final class Views {

    private Views() {
    }

    /** Plane {@code z} as a volume of depth 1. */
    public static Volume slice(Volume source, int z) {
        return region(source, 0, 0, z, source.width(), source.height(), 1);
    }

    /** The box {@code [x, x+w) × [y, y+h) × [z, z+d)} of {@code source}, with its origin moved to (0, 0, 0). */
    public static Volume region(Volume source, int x, int y, int z, int w, int h, int d) {
        Objects.requireNonNull(source, "source");
        Bounds.checkRegion(source.width(), source.height(), source.depth(), x, y, z, w, h, d);
        if (x == 0 && y == 0 && z == 0 && w == source.width() && h == source.height() && d == source.depth()) {
            return source;
        }
        return new Region(source, x, y, z, w, h, d);
    }

    /**
     * A volume whose plane {@code z} is {@code planes.apply(z)}, asked for only when a copy needs it: for planes that
     * live elsewhere (an object store) and are read as a writer streams through them. The function may load lazily
     * and cache; it must return exactly {@code width*height} samples, which the view does not modify.
     */
    public static Volume ofPlanes(int width, int height, int depth, DataType dataType, VoxelSize voxelSize,
                                  IntFunction<float[]> planes) {
        if (width < 1 || height < 1 || depth < 1) {
            throw new IllegalArgumentException("volume must be at least 1x1x1 but was " + width + "x" + height + "x" + depth);
        }
        return new PlaneSource(width, height, depth, Objects.requireNonNull(dataType, "dataType"),
                Objects.requireNonNull(voxelSize, "voxelSize"), Objects.requireNonNull(planes, "planes"));
    }

    /** An 8-bit segmentation of {@code source}: 255 where its value is at least {@code threshold}, else 0. */
    public static Volume thresholded(Volume source, double threshold) {
        return new Thresholded(Objects.requireNonNull(source, "source"), threshold);
    }

    private record PlaneSource(int width, int height, int depth, DataType dataType, VoxelSize voxelSize,
                               IntFunction<float[]> planes) implements Volume {

        @Override
        public void copyPlane(int z, float[] dst) {
            copyBlock(0, 0, z, width, height, dst);
        }

        @Override
        public void copyBlock(int x, int y, int z, int w, int h, float[] dst) {
            Bounds.checkRegion(width, height, depth, x, y, z, w, h, 1);
            Bounds.checkDst(dst, (long) w * h);
            float[] p = planes.apply(z);
            if (p.length != width * height) {
                throw new IllegalStateException("plane " + z + " has " + p.length + " samples, expected " + width * height);
            }
            for (int row = 0; row < h; row++) {
                System.arraycopy(p, (y + row) * width + x, dst, row * w, w);
            }
        }
    }

    private record Thresholded(Volume source, double threshold) implements Volume {

        @Override
        public int width() {
            return source.width();
        }

        @Override
        public int height() {
            return source.height();
        }

        @Override
        public int depth() {
            return source.depth();
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
            apply(dst, source.planeSize());
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

    private record Region(Volume source, int x0, int y0, int z0, int width, int height, int depth) implements Volume {

        @Override
        public DataType dataType() {
            return source.dataType();
        }

        @Override
        public VoxelSize voxelSize() {
            return source.voxelSize();
        }

        @Override
        public void copyPlane(int z, float[] dst) {
            copyBlock(0, 0, z, width, height, dst);
        }

        @Override
        public void copyBlock(int x, int y, int z, int w, int h, float[] dst) {
            Bounds.checkRegion(width, height, depth, x, y, z, w, h, 1);
            source.copyBlock(x0 + x, y0 + y, z0 + z, w, h, dst);
        }
    }
}
