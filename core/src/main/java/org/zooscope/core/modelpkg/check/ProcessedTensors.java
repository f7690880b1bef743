package org.zooscope.core.modelpkg.check;

import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.process.Processing;

/** A test run's tensors through a chain of ops, with statistics of the tensor itself (bioimage.io's test run). */
final class ProcessedTensors {
    private ProcessedTensors() {
    }

    /**
     * A copy of {@code t} ({@code [batch, channel, y, x]}, or a one-channel {@code [batch, 1, z, y, x]} whose z planes
     * count as planes, as batch items do) with {@code ops} applied.
     */
    static NpyArray processed(Processing ops, NpyArray t) {
        long[] s = t.shape();
        float[] x = t.data().clone();
        if (s.length == 5 && s[1] == 1) {
            ops.applyToTensor(x, (int) (s[0] * s[2]), 1, (int) (s[3] * s[4]));
            return new NpyArray(s, x);
        }
        if (s.length != 4) {
            throw new IllegalArgumentException("processing needs a [batch, channel, y, x] or [batch, 1, z, y, x] tensor");
        }
        ops.applyToTensor(x, (int) s[0], (int) s[1], (int) (s[2] * s[3]));
        return new NpyArray(s, x);
    }
}
