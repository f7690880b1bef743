package org.zooscope.core.io;

import java.io.IOException;

/**
 * Receives decoded planes one at a time, in z order. The array is only valid during the call: the reader reuses it
 * for the next plane, which is what keeps a streaming read bounded by one plane of memory.
 */
@FunctionalInterface
public interface PlaneSink {
    void accept(int z, float[] plane) throws ImageReadException, IOException;
}
