package org.zooscope.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SliceStatsTest {

    @Test
    void mergedStatsEqualStatsOfAllValues() {
        float[] a = new float[1000];
        float[] b = new float[1000];
        for (int i = 0; i < 1000; i++) {
            a[i] = i % 256;
            b[i] = (i * 7) % 256;
        }
        float[] all = new float[2000];
        System.arraycopy(a, 0, all, 0, 1000);
        System.arraycopy(b, 0, all, 1000, 1000);
        SliceStats merged = SliceStats.of(a, 0, 255, 256).merge(SliceStats.of(b, 0, 255, 256));
        SliceStats whole = SliceStats.of(all, 0, 255, 256);
        assertThat(merged).isEqualTo(whole);
        assertThat(merged.mean()).isCloseTo(whole.mean(), within(1e-9));
    }

    @Test
    void percentilesAreWithinOneBinOfTheExactValue() {
        float[] v = new float[10001];
        for (int i = 0; i < v.length; i++) {
            v[i] = i / 10000f * 1000f;
        }
        SliceStats s = SliceStats.of(v, 0, 1000, 1024);
        assertThat(s.percentile(0)).isEqualTo(0);
        assertThat(s.percentile(100)).isEqualTo(1000);
        assertThat(s.percentile(1)).isCloseTo(10, within(1000.0 / 1024));
        assertThat(s.percentile(99)).isCloseTo(990, within(1000.0 / 1024));
        assertThat(s.std()).isCloseTo(288.7, within(0.5));
    }
}
