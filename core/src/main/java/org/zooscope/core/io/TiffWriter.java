package org.zooscope.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.Volume;
import org.zooscope.core.volume.VoxelSize;

/**
 * Writes a volume as a multi-page, single-channel, little-endian TIFF, one page per plane, strips of about 64 KiB,
 * Deflate-compressed (Compression 8) by default. Files over 4 GiB are written as BigTIFF. The first page carries an
 * ImageJ-style description ({@code unit=}, {@code spacing=}) and resolution tags when the voxel size is known, so
 * Fiji, tifffile and this package's reader all see the stack and its calibration.
 *
 * <p>Streams to any {@link OutputStream} (no seeking); the stream is flushed, not closed. Stateless and thread-safe.
 */
public final class TiffWriter {

    /** Strip compression. */
    public enum Compression {
        /** Uncompressed (fastest, largest). */
        NONE,
        /** zlib/Deflate (TIFF Compression 8), level 6 for 8-bit, level 1 for float. */
        DEFLATE
    }

    private static final int STRIP_BYTES = 1 << 16;
    private static final long CLASSIC_LIMIT = (1L << 32) - (1L << 20);

    private TiffWriter() {
    }

    /** Float32 samples (SampleFormat 3), Deflate. */
    public static void writeFloat32(Volume v, OutputStream out) throws IOException {
        writeFloat32(v, out, Compression.DEFLATE);
    }

    /** Float32 samples (SampleFormat 3). */
    public static void writeFloat32(Volume v, OutputStream out, Compression compression) throws IOException {
        write(v, out, compression, DataType.FLOAT32);
    }

    /** 8-bit unsigned samples: values are rounded half-to-even and clamped to 0..255. Deflate. */
    public static void writeUint8(Volume v, OutputStream out) throws IOException {
        writeUint8(v, out, Compression.DEFLATE);
    }

    /** 8-bit unsigned samples: values are rounded half-to-even and clamped to 0..255. */
    public static void writeUint8(Volume v, OutputStream out, Compression compression) throws IOException {
        write(v, out, compression, DataType.UINT8);
    }

    /**
     * Samples of {@code type}: 8- or 16-bit unsigned (rounded half-to-even, clamped to the type's range), 32-bit signed
     * integer (SampleFormat 2; rounded, clamped) or float32 (SampleFormat 3). Deflate: level 6 for integers, 1 for
     * float.
     */
    public static void write(Volume v, OutputStream out, DataType type, Compression compression) throws IOException {
        write(v, out, compression, type);
    }

    /** The 8-bit value a float becomes: {@code clamp(rint(v), 0, 255)}; NaN becomes 0. */
    public static int toUint8(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 255 ? 255 : (int) Math.rint(v);
    }

    private static void write(Volume v, OutputStream out, Compression compression, DataType type)
            throws IOException {
        boolean isFloat = type == DataType.FLOAT32;
        int w = v.width();
        int h = v.height();
        int bps = type.bytesPerSample();
        long rawTotal = (long) w * h * bps * v.depth();
        boolean big = rawTotal + 4096L * v.depth() > CLASSIC_LIMIT;
        int rowBytes = w * bps;
        int rowsPerStrip = Math.max(1, Math.min(h, STRIP_BYTES / Math.max(1, rowBytes)));
        int strips = (h + rowsPerStrip - 1) / rowsPerStrip;
        String description = description(v.voxelSize());
        Deflater deflater = compression == Compression.DEFLATE ? new Deflater(isFloat ? 1 : 6) : null;
        Pos pos = new Pos(out);
        try {
            ByteBuffer hb = ByteBuffer.allocate(big ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
            hb.put((byte) 'I').put((byte) 'I');
            if (big) {
                hb.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(16);
            } else {
                hb.putShort((short) 42).putInt(8);
            }
            pos.write(hb.array());
            float[] plane = new float[w * h];
            byte[] raw = new byte[rowsPerStrip * rowBytes];
            for (int z = 0; z < v.depth(); z++) {
                v.copyPlane(z, plane);
                List<byte[]> data = new ArrayList<>(strips);
                for (int s = 0; s < strips; s++) {
                    int y0 = s * rowsPerStrip;
                    int rows = Math.min(rowsPerStrip, h - y0);
                    int n = rows * w;
                    ByteBuffer bb = ByteBuffer.wrap(raw, 0, n * bps).order(ByteOrder.LITTLE_ENDIAN);
                    int off = y0 * w;
                    switch (type) {
                        case FLOAT32 -> {
                            for (int i = 0; i < n; i++) {
                                bb.putFloat(plane[off + i]);
                            }
                        }
                        case UINT8 -> {
                            for (int i = 0; i < n; i++) {
                                raw[i] = (byte) toUint8(plane[off + i]);
                            }
                        }
                        case UINT16 -> {
                            for (int i = 0; i < n; i++) {
                                bb.putShort((short) clampRound(plane[off + i], 0, 65535));
                            }
                        }
                        case INT32 -> {
                            for (int i = 0; i < n; i++) {
                                bb.putInt((int) clampRound(plane[off + i], Integer.MIN_VALUE, Integer.MAX_VALUE));
                            }
                        }
                    }
                    data.add(deflater == null ? java.util.Arrays.copyOf(raw, n * bps) : deflate(deflater, raw, n * bps));
                }
                boolean last = z == v.depth() - 1;
                writePage(pos, big, w, h, type, deflater != null, rowsPerStrip, data,
                        z == 0 ? description : null, v.voxelSize(), last);
            }
            out.flush();
        } finally {
            if (deflater != null) {
                deflater.end();
            }
        }
    }

    /** {@code clamp(rint(v), lo, hi)}; NaN becomes 0. */
    private static long clampRound(float v, long lo, long hi) {
        if (Float.isNaN(v)) {
            return 0;
        }
        return Math.max(lo, Math.min(hi, (long) Math.rint(v)));
    }

    private static byte[] deflate(Deflater d, byte[] raw, int len) {
        d.reset();
        d.setInput(raw, 0, len);
        d.finish();
        ByteArrayOutputStream bo = new ByteArrayOutputStream(Math.max(64, len / 2));
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            int n = d.deflate(buf);
            bo.write(buf, 0, n);
        }
        return bo.toByteArray();
    }

    static String description(VoxelSize vs) {
        if (!vs.isKnown()) {
            return null;
        }
        return String.format(Locale.ROOT, "ImageJ=1.11a%nunit=%s%nspacing=%s%nloop=false%n",
                "µm".equals(vs.unit()) ? "micron" : vs.unit(), Double.toString(vs.z())).replace("\r", "");
    }

    /** Tracks the stream position. */
    private static final class Pos {
        final OutputStream out;
        long p;

        Pos(OutputStream out) {
            this.out = out;
        }

        void write(byte[] b) throws IOException {
            out.write(b);
            p += b.length;
        }
    }

    private record Tag(int id, int type, long count, byte[] value) {
    }

    private static void writePage(Pos pos, boolean big, int w, int h, DataType type, boolean deflate,
            int rowsPerStrip, List<byte[]> strips, String description, VoxelSize vs, boolean last)
            throws IOException {
        int strip = strips.size();
        List<Tag> tags = new ArrayList<>();
        tags.add(tag(254, 4, 0));
        tags.add(tag(256, 4, w));
        tags.add(tag(257, 4, h));
        tags.add(tag(258, 3, 8L * type.bytesPerSample()));
        tags.add(tag(259, 3, deflate ? 8 : 1));
        tags.add(tag(262, 3, 1));
        if (description != null) {
            byte[] d = (description + "\0").getBytes(StandardCharsets.UTF_8);
            tags.add(new Tag(270, 2, d.length, d));
        }
        int offsetsIndex = tags.size();
        tags.add(null); // StripOffsets, filled below
        tags.add(tag(277, 3, 1));
        tags.add(tag(278, 4, rowsPerStrip));
        int typeL = big ? 16 : 4;
        ByteBuffer counts = ByteBuffer.allocate(strip * (big ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] s : strips) {
            if (big) {
                counts.putLong(s.length);
            } else {
                counts.putInt(s.length);
            }
        }
        tags.add(new Tag(279, typeL, strip, counts.array()));
        if (vs.isKnown()) {
            tags.add(new Tag(282, 5, 1, rational(1 / vs.x())));
            tags.add(new Tag(283, 5, 1, rational(1 / vs.y())));
            tags.add(tag(296, 3, 1));
        }
        tags.add(tag(339, 3, type == DataType.FLOAT32 ? 3 : type == DataType.INT32 ? 2 : 1));

        int entry = big ? 20 : 12;
        int inline = big ? 8 : 4;
        long ifdSize = (big ? 8 : 2) + (long) tags.size() * entry + (big ? 8 : 4);
        // extras: values too long to sit in the entry, then strip data
        long extras = 0;
        for (Tag t : tags) {
            if (t != null && t.value.length > inline) {
                extras += pad(t.value.length);
            }
        }
        long offsetsBytes = (long) strip * (big ? 8 : 4);
        if (offsetsBytes > inline) {
            extras += pad(offsetsBytes);
        }
        long dataStart = pos.p + ifdSize + extras;
        ByteBuffer offs = ByteBuffer.allocate((int) offsetsBytes).order(ByteOrder.LITTLE_ENDIAN);
        long d = dataStart;
        for (byte[] s : strips) {
            if (big) {
                offs.putLong(d);
            } else {
                offs.putInt((int) d);
            }
            d += s.length;
        }
        long next = last ? 0 : pad(d);
        tags.set(offsetsIndex, new Tag(273, typeL, strip, offs.array()));

        ByteBuffer ifd = ByteBuffer.allocate((int) (ifdSize + extras)).order(ByteOrder.LITTLE_ENDIAN);
        if (big) {
            ifd.putLong(tags.size());
        } else {
            ifd.putShort((short) tags.size());
        }
        long extraPos = pos.p + ifdSize;
        List<byte[]> extraValues = new ArrayList<>();
        for (Tag t : tags) {
            ifd.putShort((short) t.id).putShort((short) t.type);
            if (big) {
                ifd.putLong(t.count);
            } else {
                ifd.putInt((int) t.count);
            }
            if (t.value.length <= inline) {
                byte[] v = new byte[inline];
                System.arraycopy(t.value, 0, v, 0, t.value.length);
                ifd.put(v);
            } else {
                if (big) {
                    ifd.putLong(extraPos);
                } else {
                    ifd.putInt((int) extraPos);
                }
                extraValues.add(t.value);
                extraPos += pad(t.value.length);
            }
        }
        if (big) {
            ifd.putLong(next);
        } else {
            ifd.putInt((int) next);
        }
        for (byte[] v : extraValues) {
            ifd.put(v);
            if ((v.length & 1) == 1) {
                ifd.put((byte) 0);
            }
        }
        pos.write(ifd.array());
        for (byte[] s : strips) {
            pos.write(s);
        }
        if (!last && (pos.p & 1) == 1) {
            pos.write(new byte[1]);
        }
    }

    private static long pad(long n) {
        return (n + 1) & ~1L;
    }

    private static Tag tag(int id, int type, long value) {
        ByteBuffer b = ByteBuffer.allocate(type == 3 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (type == 3) {
            b.putShort((short) value);
        } else {
            b.putInt((int) value);
        }
        return new Tag(id, type, 1, b.array());
    }

    /** Unsigned 32-bit rational: exact when a power-of-ten denominator up to 10^6 suffices, else finest possible. */
    static byte[] rational(double value) {
        long den = 1;
        while (den < 1_000_000 && Math.abs(value * den - Math.rint(value * den)) > 1e-9 * value * den) {
            den *= 10;
        }
        if (Math.abs(value * den - Math.rint(value * den)) > 1e-9 * value * den) {
            den = (long) Math.min(0xFFFFFFFFL, Math.floor(0xFFFFFFFFL / Math.max(1.0, value)));
        }
        long num = Math.round(value * den);
        while (num > 0xFFFFFFFFL) {
            num /= 2;
            den /= 2;
        }
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) num).putInt((int) Math.max(1, den));
        return b.array();
    }
}
