package org.zooscope.core.tiling;

/**
 * Mirror ("reflect") boundary extension without repeating the edge sample: for a row {@code a b c d}, the
 * extension is {@code ... d c b | a b c d | c b a ...} (numpy {@code mode='reflect'}), repeated as often as needed,
 * so any offset maps into range even when the extension is wider than the row. A length of 1 extends by repetition.
 */
public final class Mirror {

    private Mirror() {
    }

    /** Maps any index onto {@code [0, n)} by reflection about the end samples. */
    public static int index(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
