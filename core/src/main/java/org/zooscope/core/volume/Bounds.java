package org.zooscope.core.volume;

/** Argument checks shared by volume implementations. */
final class Bounds {

    private Bounds() {
    }

    static void checkRegion(int width, int height, int depth, int x, int y, int z, int w, int h, int d) {
        if (w < 1 || h < 1 || d < 1 || x < 0 || y < 0 || z < 0
                || (long) x + w > width || (long) y + h > height || (long) z + d > depth) {
            throw new IndexOutOfBoundsException("region x=" + x + " y=" + y + " z=" + z + " size " + w + "x" + h + "x" + d
                    + " is not inside volume " + width + "x" + height + "x" + depth);
        }
    }

    static void checkDst(float[] dst, long needed) {
        if (dst.length < needed) {
            throw new IllegalArgumentException("destination has " + dst.length + " samples, needs " + needed);
        }
    }
}
