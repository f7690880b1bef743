package org.zooscope.core.events;

/**
 * A box of a hosted dataset in level-0 voxels: {@code x, y, z} its first voxel, {@code width × height × depth} its
 * size.
 */
public record Region(int x, int y, int z, int width, int height, int depth) {

    /** The largest region a preview takes (2048 × 2048 × 16 voxels); a whole volume is a full run. */
    public static final long MAX_PREVIEW_VOXELS = 2048L * 2048 * 16;

    /** Why this region cannot be read from a {@code w × h × d} volume, or null when it can. */
    public String problemWithin(int w, int h, int d) {
        if (width <= 0 || height <= 0 || depth <= 0) {
            return "the region is empty (" + width + " x " + height + " x " + depth + " voxels)";
        }
        if (x < 0 || y < 0 || z < 0 || (long) x + width > w || (long) y + height > h || (long) z + depth > d) {
            return "the region x " + x + ".." + ((long) x + width) + ", y " + y + ".." + ((long) y + height) + ", z " + z
                    + ".." + ((long) z + depth) + " is outside the volume (" + w + " x " + h + " x " + d + ")";
        }
        return null;
    }

    public long voxels() {
        return (long) width * height * depth;
    }

    /** Whether this region contains the point, or comes within {@code margin} voxels of it in x and y (z exact). */
    public boolean near(int px, int py, int pz, int margin) {
        return pz >= z && pz < z + depth && px >= x - margin && px < x + width + margin && py >= y - margin
                && py < y + height + margin;
    }
}
