package org.zooscope.jobstream.preprocess;

/** Enhances one slice (CDeep3M2's automatic enhancement) and returns the enhanced plane. Thread-safe. */
@FunctionalInterface
public interface SliceEnhancer {

    /**
     * @param sourceType the upload's sample type (uint8, uint16, int32, float32), which sets the value scale
     */
    float[] enhance(float[] plane, int width, int height, String sourceType);

    /**
     * Enhances with parameters fixed for a whole volume (a hosted dataset's), so every region of it is enhanced alike.
     * The default ignores them (for stand-ins in tests).
     */
    default float[] enhance(float[] plane, int width, int height, String sourceType,
                            org.zooscope.core.enhance.EnhanceParameters fixed) {
        return enhance(plane, width, height, sourceType);
    }

    /** The value range of enhanced planes, for the histograms that whole-volume statistics are read from. */
    default double[] outputRange() {
        return new double[] {0, 255};
    }
}
