package org.zooscope.jobstream.preprocess;

import java.util.Arrays;

/**
 * CDeep3M2's automatic enhancement of one slice, to the 0..255 range: clip to the 1st/99th percentile and stretch
 * the 2nd/98th percentile.
 */
public final class Cdeep3mSliceEnhancer implements SliceEnhancer {

    @Override
    public float[] enhance(float[] plane, int width, int height) {
        float[] sorted = plane.clone();
        Arrays.sort(sorted);
        float p1 = percentile(sorted, 1);
        float p99 = percentile(sorted, 99);
        float[] out = new float[plane.length];
        for (int i = 0; i < plane.length; i++) {
            out[i] = Math.min(p99, Math.max(p1, plane[i]));
        }
        float[] clipped = out.clone();
        Arrays.sort(clipped);
        float lo = percentile(clipped, 2);
        float hi = percentile(clipped, 98);
        float scale = hi > lo ? 255f / (hi - lo) : 0f;
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(255f, Math.max(0f, (out[i] - lo) * scale));
        }
        return out;
    }

    private static float percentile(float[] sorted, double p) {
        double pos = p / 100.0 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return (float) (sorted[i] + (sorted[j] - sorted[i]) * (pos - i));
    }
}
