package org.zooscope.core.modelpkg.check;

/**
 * Size limits for an uploaded model package, checked while it is read (never trusting the sizes a zip declares).
 *
 * @param maxPackageBytes     the zip file itself
 * @param maxEntries          files and folders in the zip
 * @param maxUnpackedBytes    all files together, once decompressed
 * @param maxCompressionRatio decompressed / compressed size of one entry: above it the entry is treated as a zip bomb
 */
public record PackageLimits(long maxPackageBytes, int maxEntries, long maxUnpackedBytes, int maxCompressionRatio) {

    public PackageLimits {
        if (maxPackageBytes < 1 || maxEntries < 1 || maxUnpackedBytes < 1 || maxCompressionRatio < 1) {
            throw new IllegalArgumentException("package limits must be positive");
        }
    }

    /**
     * 128 MiB packed, 192 MiB unpacked, 200 files, ratio 100 (ONNX weights compress about 1.1:1). A package is held in
     * memory while it is validated, so the unpacked limit must stay well below the validating process's heap.
     */
    public static PackageLimits defaults() {
        return new PackageLimits(128L << 20, 200, 192L << 20, 100);
    }
}
