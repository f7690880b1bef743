package org.zooscope.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.zooscope.core.io.ImageReadException.Kind;

/**
 * The directory structure of a TIFF or BigTIFF file: one {@link Page} per full-resolution image directory, plus the
 * first page's description and resolution tags. Parsing reads tags only, never pixel data, and bounds every count it
 * reads, so a hostile header cannot make it allocate much. Package-private.
 */
final class TiffFile {

    static final int COMPRESSION_NONE = 1;
    static final int COMPRESSION_DEFLATE = 8;
    static final int COMPRESSION_DEFLATE_OLD = 32946;
    private static final int MAX_ENTRIES = 4096;
    private static final int MAX_ARRAY = 1 << 24;
    private static final int MAX_DESCRIPTION = 8 << 20;

    /** One image directory. Offsets and byte counts are those of strips, or of tiles when {@code tiled}. */
    record Page(int ifdIndex, int width, int height, int bitsPerSample, int sampleFormat, int samplesPerPixel,
            int compression, int photometric, int planarConfig, boolean tiled, int rowsPerStrip, long[] offsets,
            long[] byteCounts, int[] colorMap, int predictor) {

        /** Bytes of uncompressed data one page of this shape holds. */
        long uncompressedBytes() {
            return (long) width * height * samplesPerPixel * ((bitsPerSample + 7) / 8);
        }
    }

    final ByteOrder order;
    final boolean bigTiff;
    final List<Page> pages;
    final String description;
    final double xResolution;
    final double yResolution;
    final int resolutionUnit;

    private TiffFile(ByteOrder order, boolean bigTiff, List<Page> pages, String description, double xResolution,
            double yResolution, int resolutionUnit) {
        this.order = order;
        this.bigTiff = bigTiff;
        this.pages = pages;
        this.description = description;
        this.xResolution = xResolution;
        this.yResolution = yResolution;
        this.resolutionUnit = resolutionUnit;
    }

    private record Entry(int type, long count, long valuePos) {
    }

    static TiffFile parse(FileBytes f, String name, ReadLimits limits) throws ImageReadException, IOException {
        try {
            return parseUnchecked(f, name, limits);
        } catch (EOFException e) {
            throw new ImageReadException(Kind.TRUNCATED, name, null, null, f.size(),
                    "the TIFF directory structure points past the end of the file", e);
        }
    }

    private static TiffFile parseUnchecked(FileBytes f, String name, ReadLimits limits)
            throws ImageReadException, IOException {
        byte[] head = f.head(16);
        if (head.length < 8) {
            throw new ImageReadException(Kind.TRUNCATED, name, null, "the TIFF header is incomplete");
        }
        ByteOrder order = head[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer h = ByteBuffer.wrap(head).order(order);
        int magic = h.getShort(2) & 0xFFFF;
        boolean big = magic == 43;
        long ifd;
        if (big) {
            if (head.length < 16) {
                throw new ImageReadException(Kind.TRUNCATED, name, null, "the BigTIFF header is incomplete");
            }
            if (h.getShort(4) != 8) {
                throw new ImageReadException(Kind.CORRUPT, name, null, "BigTIFF offset size is not 8");
            }
            ifd = h.getLong(8);
        } else {
            ifd = h.getInt(4) & 0xFFFFFFFFL;
        }
        if (ifd == 0) {
            throw new ImageReadException(Kind.CORRUPT, name, null, "the TIFF has no image directory");
        }
        List<Page> pages = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        String description = null;
        double xres = Double.NaN;
        double yres = Double.NaN;
        int resUnit = 2;
        int index = 0;
        int maxDirectories = limits.maxDepth() * 2 + 16;
        while (ifd != 0) {
            if (!seen.add(ifd)) {
                throw new ImageReadException(Kind.CORRUPT, name, pages.size(), "the TIFF directory chain loops");
            }
            if (index >= maxDirectories) {
                throw new ImageReadException(Kind.TOO_LARGE, name, null, (long) limits.maxDepth(), (long) index,
                        "too many TIFF directories", null);
            }
            long count;
            int entrySize = big ? 20 : 12;
            if (big) {
                count = f.read(ifd, 8, order).getLong();
            } else {
                count = f.read(ifd, 2, order).getShort() & 0xFFFF;
            }
            if (count < 1 || count > MAX_ENTRIES) {
                throw new ImageReadException(Kind.CORRUPT, name, pages.size(), null, count,
                        "implausible number of TIFF tags in directory " + index, null);
            }
            long entriesPos = ifd + (big ? 8 : 2);
            ByteBuffer eb = f.read(entriesPos, (int) count * entrySize + (big ? 8 : 4), order);
            Map<Integer, Entry> tags = new HashMap<>();
            for (int i = 0; i < count; i++) {
                int base = i * entrySize;
                int tag = eb.getShort(base) & 0xFFFF;
                int type = eb.getShort(base + 2) & 0xFFFF;
                long n = big ? eb.getLong(base + 4) : eb.getInt(base + 4) & 0xFFFFFFFFL;
                int size = typeSize(type);
                long valueField = entriesPos + base + (big ? 12 : 8);
                long pos;
                if (size == 0 || n < 0) {
                    continue;
                }
                if (n * size <= (big ? 8 : 4)) {
                    pos = valueField;
                } else {
                    pos = big ? eb.getLong(base + 12) : eb.getInt(base + 8) & 0xFFFFFFFFL;
                }
                tags.put(tag, new Entry(type, n, pos));
            }
            long next = big ? eb.getLong((int) count * entrySize) : eb.getInt((int) count * entrySize) & 0xFFFFFFFFL;
            Reader r = new Reader(f, order, tags, name, pages.size());
            long subfileType = r.scalar(254, 0);
            boolean reduced = (subfileType & 1) != 0;
            if (index == 0) {
                description = r.string(270);
                xres = r.rational(282);
                yres = r.rational(283);
                resUnit = (int) r.scalar(296, 2);
            }
            if (!reduced) {
                pages.add(r.page(index));
                if (pages.size() > limits.maxDepth()) {
                    throw new ImageReadException(Kind.TOO_LARGE, name, null, (long) limits.maxDepth(),
                            (long) pages.size(), "more pages than allowed", null);
                }
            }
            index++;
            ifd = next;
        }
        if (pages.isEmpty()) {
            throw new ImageReadException(Kind.CORRUPT, name, null, "the TIFF has no full-resolution image");
        }
        return new TiffFile(order, big, List.copyOf(pages), description, xres, yres, resUnit);
    }

    private static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 0;
        };
    }

    /** Reads tag values of one directory. */
    private static final class Reader {
        private final FileBytes f;
        private final ByteOrder order;
        private final Map<Integer, Entry> tags;
        private final String name;
        private final int slice;

        Reader(FileBytes f, ByteOrder order, Map<Integer, Entry> tags, String name, int slice) {
            this.f = f;
            this.order = order;
            this.tags = tags;
            this.name = name;
            this.slice = slice;
        }

        long scalar(int tag, long dflt) throws IOException, ImageReadException {
            long[] v = longs(tag, 1);
            return v == null || v.length == 0 ? dflt : v[0];
        }

        long[] longs(int tag, int maxCount) throws IOException, ImageReadException {
            Entry e = tags.get(tag);
            if (e == null) {
                return null;
            }
            if (e.count > maxCount) {
                if (maxCount == 1) {
                    return longs(e, 1);
                }
                throw new ImageReadException(Kind.CORRUPT, name, slice, (long) maxCount, e.count,
                        "implausible count for TIFF tag " + tag, null);
            }
            return longs(e, (int) e.count);
        }

        private long[] longs(Entry e, int n) throws IOException, ImageReadException {
            int size = typeSize(e.type);
            ByteBuffer b = f.read(e.valuePos, n * size, order);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = switch (e.type) {
                    case 1, 7 -> b.get() & 0xFF;
                    case 6 -> b.get();
                    case 3 -> b.getShort() & 0xFFFF;
                    case 8 -> b.getShort();
                    case 4, 13 -> b.getInt() & 0xFFFFFFFFL;
                    case 9 -> b.getInt();
                    case 16, 17, 18 -> b.getLong();
                    default -> throw new ImageReadException(Kind.CORRUPT, name, slice,
                            "TIFF tag has type " + e.type + " where an integer is expected");
                };
            }
            return out;
        }

        double rational(int tag) throws IOException {
            Entry e = tags.get(tag);
            if (e == null || e.count < 1) {
                return Double.NaN;
            }
            ByteBuffer b = f.read(e.valuePos, typeSize(e.type), order);
            return switch (e.type) {
                case 5 -> {
                    long num = b.getInt() & 0xFFFFFFFFL;
                    long den = b.getInt() & 0xFFFFFFFFL;
                    yield den == 0 ? Double.NaN : (double) num / den;
                }
                case 10 -> {
                    int num = b.getInt();
                    int den = b.getInt();
                    yield den == 0 ? Double.NaN : (double) num / den;
                }
                case 11 -> b.getFloat();
                case 12 -> b.getDouble();
                default -> Double.NaN;
            };
        }

        String string(int tag) throws IOException {
            Entry e = tags.get(tag);
            if (e == null || e.type != 2 || e.count < 1) {
                return null;
            }
            int n = (int) Math.min(e.count, MAX_DESCRIPTION);
            ByteBuffer b = f.read(e.valuePos, n, order);
            byte[] bytes = new byte[n];
            b.get(bytes);
            int end = 0;
            while (end < n && bytes[end] != 0) {
                end++;
            }
            return new String(bytes, 0, end, StandardCharsets.UTF_8);
        }

        Page page(int ifdIndex) throws IOException, ImageReadException {
            long w = scalar(256, -1);
            long h = scalar(257, -1);
            if (w < 1 || h < 1 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
                throw new ImageReadException(Kind.CORRUPT, name, slice, "invalid TIFF image size " + w + "x" + h);
            }
            int spp = (int) scalar(277, 1);
            long[] bits = longs(258, Math.max(1, spp));
            int bps = bits == null ? 1 : (int) bits[0];
            if (bits != null) {
                for (long b : bits) {
                    if (b != bps) {
                        throw new ImageReadException(Kind.UNSUPPORTED_DATA_TYPE, name, slice,
                                "channels with different bit depths are not supported");
                    }
                }
            }
            long[] sf = longs(339, Math.max(1, spp));
            int sampleFormat = sf == null ? 1 : (int) sf[0];
            int compression = (int) scalar(259, 1);
            int photometric = (int) scalar(262, spp >= 3 ? 2 : 1);
            int planar = (int) scalar(284, 1);
            boolean tiled = tags.containsKey(322);
            long[] offsets;
            long[] counts;
            int rowsPerStrip;
            if (tiled) {
                offsets = longs(324, MAX_ARRAY);
                counts = longs(325, MAX_ARRAY);
                rowsPerStrip = (int) scalar(323, 0);
            } else {
                offsets = longs(273, MAX_ARRAY);
                counts = longs(279, MAX_ARRAY);
                rowsPerStrip = (int) Math.min(scalar(278, h), h);
            }
            if (offsets == null || offsets.length == 0) {
                throw new ImageReadException(Kind.CORRUPT, name, slice, "the TIFF page has no data offsets");
            }
            int[] colorMap = null;
            if (photometric == 3) {
                long[] cm = longs(320, 3 * 65536);
                if (cm == null || cm.length != 3 * (1 << bps)) {
                    throw new ImageReadException(Kind.CORRUPT, name, slice, "palette TIFF without a valid ColorMap");
                }
                colorMap = new int[cm.length];
                for (int i = 0; i < cm.length; i++) {
                    colorMap[i] = (int) cm[i];
                }
            }
            int predictor = (int) scalar(317, 1);
            return new Page(ifdIndex, (int) w, (int) h, bps, sampleFormat, spp, compression, photometric, planar,
                    tiled, rowsPerStrip, offsets, counts, colorMap, predictor);
        }
    }
}
