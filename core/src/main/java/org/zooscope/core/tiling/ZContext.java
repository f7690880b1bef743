package org.zooscope.core.tiling;

/**
 * Which planes a multi-frame (2.5D) model sees for output plane {@code z}: the real neighbours
 * {@code z - k .. z + k}, mirrored (without repeating the end plane) only where they would fall outside the volume.
 * Unlike CDeep3M, which split volumes into 100-plane blocks and replicated planes at every block boundary, this always
 * uses true neighbours inside the volume.
 */
public final class ZContext {

    private ZContext() {
    }

    /**
     * @param z      output plane, {@code 0 <= z < depth}
     * @param depth  planes in the volume, &ge; 1
     * @param frames odd number of frames (1, 3, 5, ...)
     * @return plane indices in z order, length {@code frames}, centre element {@code z}
     */
    public static int[] frames(int z, int depth, int frames) {
        if (depth < 1 || z < 0 || z >= depth) {
            throw new IndexOutOfBoundsException("plane " + z + " is not in a volume of depth " + depth);
        }
        if (frames < 1 || frames % 2 == 0) {
            throw new IllegalArgumentException("frames must be odd and >= 1 but was " + frames);
        }
        int k = frames / 2;
        int[] out = new int[frames];
        for (int i = 0; i < frames; i++) {
            out[i] = Mirror.index(z - k + i, depth);
        }
        return out;
    }
}
