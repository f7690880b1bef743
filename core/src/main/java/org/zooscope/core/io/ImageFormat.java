package org.zooscope.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Image container formats the reader understands, recognised by their content, never by the file name.
 */
public enum ImageFormat {
    /** PNG (8- or 16-bit grey, grey+alpha, RGB(A), palette). */
    PNG,
    /** TIFF or BigTIFF, single- or multi-page. */
    TIFF,
    /** MRC / CCP4 map (MRC2014; IMOD variants), the common EM volume format. */
    MRC;

    /** How many leading bytes {@link #sniff(byte[])} needs to recognise every format (MRC has its magic at 208). */
    public static final int SNIFF_BYTES = 1024;

    /**
     * Recognises a format from the first bytes of a file.
     *
     * <ul>
     *   <li>PNG: the 8-byte PNG signature.</li>
     *   <li>TIFF: {@code II*\0}, {@code MM\0*} (classic) or {@code II+\0}, {@code MM\0+} (BigTIFF).</li>
     *   <li>MRC: {@code "MAP "} at byte 208 (MRC2014/CCP4), or, for older files without it, a header whose
     *       dimensions are positive, whose mode is a known MRC mode and whose axis map is a permutation of 1,2,3.
     *       Needs at least 224 bytes.</li>
     * </ul>
     *
     * @param head the first bytes of the file (up to {@link #SNIFF_BYTES}); shorter arrays recognise fewer formats
     * @return the format, or empty if none matches
     */
    public static Optional<ImageFormat> sniff(byte[] head) {
        if (head == null) {
            return Optional.empty();
        }
        if (head.length >= 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0D && head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A) {
            return Optional.of(PNG);
        }
        if (head.length >= 4) {
            boolean ii = head[0] == 'I' && head[1] == 'I' && (head[2] == 42 || head[2] == 43) && head[3] == 0;
            boolean mm = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
            if (ii || mm) {
                return Optional.of(TIFF);
            }
        }
        if (head.length >= 224) {
            if (head[208] == 'M' && head[209] == 'A' && head[210] == 'P' && (head[211] == ' ' || head[211] == 0)) {
                return Optional.of(MRC);
            }
            if (plausibleMrc(head, ByteOrder.LITTLE_ENDIAN) || plausibleMrc(head, ByteOrder.BIG_ENDIAN)) {
                return Optional.of(MRC);
            }
        }
        return Optional.empty();
    }

    private static boolean plausibleMrc(byte[] head, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(head).order(order);
        int nx = b.getInt(0);
        int ny = b.getInt(4);
        int nz = b.getInt(8);
        int mode = b.getInt(12);
        int mapc = b.getInt(64);
        int mapr = b.getInt(68);
        int maps = b.getInt(72);
        boolean knownMode = mode == 0 || mode == 1 || mode == 2 || mode == 3 || mode == 4 || mode == 6 || mode == 12
                || mode == 101;
        boolean perm = mapc >= 1 && mapc <= 3 && mapr >= 1 && mapr <= 3 && maps >= 1 && maps <= 3
                && mapc != mapr && mapr != maps && mapc != maps;
        return nx > 0 && ny > 0 && nz > 0 && knownMode && perm;
    }
}
