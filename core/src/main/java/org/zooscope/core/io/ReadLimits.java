package org.zooscope.core.io;

/**
 * Guard rails applied by {@link VolumeReader} <em>before</em> any pixel buffer is allocated.
 *
 * <p>{@code maxBytes} bounds the decoded volume as held in memory: {@code width × height × depth × 4} bytes (samples
 * are decoded to {@code float}), whatever the file's sample type or compression; this is what stops decompression
 * bombs and absurd headers. {@code maxDepth} bounds the number of planes (and so the number of TIFF directories
 * walked). {@code minSide} is the smallest accepted width and height: a 1×1 "image" is always refused, and images
 * smaller than a model's tile are accepted (the tiler mirror-pads them) as long as they reach {@code minSide}.
 * Immutable.
 *
 * @param maxBytes most bytes of decoded float samples, &gt; 0
 * @param maxDepth most planes, &ge; 1
 * @param minSide  smallest accepted width and height in pixels, &ge; 2
 */
public record ReadLimits(long maxBytes, int maxDepth, int minSide) {

    /** Default {@link #maxBytes()}: 1 GiB of float samples (e.g. 1024 × 1024 × 256). */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** Default {@link #maxDepth()}. */
    public static final int DEFAULT_MAX_DEPTH = 4096;
    /** Default {@link #minSide()}. */
    public static final int DEFAULT_MIN_SIDE = 8;

    public ReadLimits {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0 but was " + maxBytes);
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be >= 1 but was " + maxDepth);
        }
        if (minSide < 2) {
            throw new IllegalArgumentException("minSide must be >= 2 but was " + minSide);
        }
    }

    /** Limits with the default {@link #minSide()}. */
    public ReadLimits(long maxBytes, int maxDepth) {
        this(maxBytes, maxDepth, DEFAULT_MIN_SIDE);
    }

    /** 1 GiB of decoded samples, 4096 planes, sides of at least 8 px. */
    public static ReadLimits defaults() {
        return new ReadLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MIN_SIDE);
    }

    /** These limits with another minimum side. */
    public ReadLimits withMinSide(int newMinSide) {
        return new ReadLimits(maxBytes, maxDepth, newMinSide);
    }

    /** Bytes a {@code width × height × depth} volume takes once decoded. */
    public static long decodedBytes(long width, long height, long depth) {
        return width * height * depth * Float.BYTES;
    }
}
