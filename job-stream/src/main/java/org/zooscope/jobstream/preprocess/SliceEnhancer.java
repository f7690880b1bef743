package org.zooscope.jobstream.preprocess;

/** Enhances one slice in place of its values (CDeep3M2's automatic enhancement); returns the enhanced plane. */
@FunctionalInterface
public interface SliceEnhancer {

    float[] enhance(float[] plane, int width, int height);

    /** The value range of enhanced planes, for the histograms that whole-volume statistics are read from. */
    default double[] outputRange() {
        return new double[] {0, 255};
    }
}
