package org.zooscope.core.modelpkg.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.zooscope.core.modelpkg.NpyArray;

class ReproducibilityTest {
    private static final int N = 20_000;

    @Test
    void allowsDifferencesWithinRtolAndAtol() {
        float[] e = new float[N];
        float[] a = new float[N];
        Arrays.fill(e, 1f);
        Arrays.fill(a, 1f + 1.9e-3f);
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).isNull();
    }

    @Test
    void allowsAtMostOneHundredMismatchesPerMillion() {
        float[] e = new float[N];
        float[] a = new float[N];
        a[0] = 1;
        a[1] = 1;
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).as("2 of 20000 = 100 ppm").isNull();
        a[2] = 1;
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).contains("3 of 20000 elements");
    }

    @Test
    void nanIsAMismatch() {
        float[] e = new float[N];
        float[] a = new float[N];
        Arrays.fill(a, 0, 3, Float.NaN);
        assertThat(Reproducibility.BIOIMAGEIO.compare(array(e), array(a))).contains("3 of 20000");
    }

    @Test
    void aDifferentShapeIsReported() {
        assertThat(Reproducibility.BIOIMAGEIO.compare(new NpyArray(new long[] {1, 1, 2, 2}, new float[4]),
                new NpyArray(new long[] {1, 2, 2, 1}, new float[4]))).contains("shape [1, 2, 2, 1]").contains("[1, 1, 2, 2]");
    }

    private static NpyArray array(float[] d) {
        return new NpyArray(new long[] {1, 1, 100, d.length / 100}, d);
    }
}
