package org.zooscope.core.volume;

/**
 * Sample type of a source image, as stored in the file.
 *
 * <p>Volumes always hold samples as {@code float} in memory (exact for every type here: a float represents every
 * integer up to 2^24 exactly, and {@link #INT32} values beyond that are rounded to the nearest float). The data type
 * records where the values came from, so that writers, statistics and {@code ensure_dtype} know the original range.
 * Signed 8- and 16-bit sources (e.g. MRC mode 0/1, TIFF SampleFormat 2) are reported as {@link #INT32}, which holds
 * them without loss.
 */
public enum DataType {
    /** Unsigned 8-bit integer, 0..255. */
    UINT8(1, 0, 255),
    /** Unsigned 16-bit integer, 0..65535. */
    UINT16(2, 0, 65535),
    /** Signed 32-bit integer (also used for signed 8- and 16-bit sources). */
    INT32(4, Integer.MIN_VALUE, Integer.MAX_VALUE),
    /** IEEE 754 32-bit float (also used for 16-bit float sources). */
    FLOAT32(4, -Float.MAX_VALUE, Float.MAX_VALUE);

    private final int bytesPerSample;
    private final double min;
    private final double max;

    DataType(int bytesPerSample, double min, double max) {
        this.bytesPerSample = bytesPerSample;
        this.min = min;
        this.max = max;
    }

    /** Bytes one sample takes in the file's native form. */
    public int bytesPerSample() {
        return bytesPerSample;
    }

    /** Smallest representable value. */
    public double minValue() {
        return min;
    }

    /** Largest representable value. */
    public double maxValue() {
        return max;
    }

    /** Whether the type holds integers only. */
    public boolean isInteger() {
        return this != FLOAT32;
    }
}
