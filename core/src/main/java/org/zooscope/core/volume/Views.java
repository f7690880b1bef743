package org.zooscope.core.volume;

import java.util.Objects;

/**
 * No-copy views of a {@link Volume}: a single plane or a box-shaped region. A view reads through to its source, so it
 * is as thread-safe as the source (every volume in this package is immutable).
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
