package org.zooscope.core.modelpkg.check;

import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.process.Processing;

/** A test run's tensors through a chain of ops, with statistics of the tensor itself (bioimage.io's test run). */
final class ProcessedTensors {
    private ProcessedTensors() {
    }

    /** A copy of {@code t} ({@code [batch, channel, y, x]}) with {@code ops} applied. */
    static NpyArray processed(Processing ops, NpyArray t) {
        long[] s = t.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("processing needs a [batch, channel, y, x] tensor");
        }
        float[] x = t.data().clone();
        ops.applyToTensor(x, (int) s[0], (int) s[1], (int) (s[2] * s[3]));
        return new NpyArray(s, x);
    }
}
