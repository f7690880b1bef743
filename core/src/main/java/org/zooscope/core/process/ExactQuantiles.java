package org.zooscope.core.process;

import java.util.Arrays;

/**
 * Exact order statistics of a large set of floats in two passes and O(1) extra memory (a radix select on the
 * sortable bit pattern: the high 16 bits, then the low 16 bits inside the chosen bucket). Package-private; not
 * thread-safe. Usage: {@link #countHigh} every value, {@link #prepare} the ranks, {@link #countLow} every value,
 * then {@link #value}.
 */
final class ExactQuantiles {

    private final long[] high = new long[1 << 16];
    private long[] ranks;
    /** Slot in {@link #low} of each high bucket, or -1 (arrays, not a map: no boxing per sample). */
    private final int[] slotOfBucket = new int[1 << 16];
    private long[][] low = new long[0][];
    private int[] bucketOfRank;
    private long[] rankInBucket;

    static int key(float v) {
        int b = Float.floatToRawIntBits(v);
        return b < 0 ? ~b : b | 0x80000000;
    }

    static float fromKey(int k) {
        int b = k < 0 ? k & 0x7FFFFFFF : ~k;
        return Float.intBitsToFloat(b);
    }

    void countHigh(float[] data, int off, int n) {
        for (int i = off; i < off + n; i++) {
            high[key(data[i]) >>> 16]++;
        }
    }

    /** Fixes the 0-based ranks wanted (each below the number of values counted). */
    void prepare(long[] wanted) {
        this.ranks = wanted.clone();
        this.bucketOfRank = new int[ranks.length];
        this.rankInBucket = new long[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            long k = ranks[r];
            long seen = 0;
            int b = 0;
            while (seen + high[b] <= k) {
                seen += high[b];
                b++;
            }
            bucketOfRank[r] = b;
            rankInBucket[r] = k - seen;
        }
        Arrays.fill(slotOfBucket, -1);
        int slots = 0;
        for (int b : bucketOfRank) {
            if (slotOfBucket[b] < 0) {
                slotOfBucket[b] = slots++;
            }
        }
        low = new long[slots][1 << 16];
    }

    void countLow(float[] data, int off, int n) {
        int[] slot = slotOfBucket;
        long[][] h = low;
        for (int i = off; i < off + n; i++) {
            int k = key(data[i]);
            int s = slot[k >>> 16];
            if (s >= 0) {
                h[s][k & 0xFFFF]++;
            }
        }
    }

    /** The value of the {@code r}-th prepared rank. */
    float value(int r) {
        long[] h = low[slotOfBucket[bucketOfRank[r]]];
        long k = rankInBucket[r];
        long seen = 0;
        int b = 0;
        while (seen + h[b] <= k) {
            seen += h[b];
            b++;
        }
        return fromKey((bucketOfRank[r] << 16) | b);
    }

    long[] ranks() {
        return Arrays.copyOf(ranks, ranks.length);
    }
}
