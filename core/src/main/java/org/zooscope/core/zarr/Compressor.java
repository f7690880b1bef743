package org.zooscope.core.zarr;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * A Zarr v2 chunk compressor as numcodecs names it: {@code zlib} (a zlib stream, RFC 1950) or {@code gzip} (RFC
 * 1952), with a level 0–9. Immutable and thread-safe.
 *
 * @param id    {@code "zlib"} or {@code "gzip"}
 * @param level compression level 0..9
 */
public record Compressor(String id, int level) {

    public Compressor {
        if (!"zlib".equals(id) && !"gzip".equals(id)) {
            throw new IllegalArgumentException("unsupported compressor " + id + " (zlib and gzip are)");
        }
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("compression level must be 0..9 but was " + level);
        }
    }

    public static Compressor zlib(int level) {
        return new Compressor("zlib", level);
    }

    public static Compressor gzip(int level) {
        return new Compressor("gzip", level);
    }

    byte[] encode(byte[] raw) {
        if ("gzip".equals(id)) {
            ByteArrayOutputStream bo = new ByteArrayOutputStream(raw.length / 2 + 64);
            try (GZIPOutputStream g = new GZIPOutputStream(bo) {
                {
                    def.setLevel(level);
                }
            }) {
                g.write(raw);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bo.toByteArray();
        }
        Deflater d = new Deflater(level);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream bo = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] buf = new byte[16384];
            while (!d.finished()) {
                bo.write(buf, 0, d.deflate(buf));
            }
            return bo.toByteArray();
        } finally {
            d.end();
        }
    }

    /** Decodes a chunk that must inflate to exactly {@code expected} bytes. */
    byte[] decode(byte[] data, int expected) throws IOException {
        if ("gzip".equals(id)) {
            try (GZIPInputStream g = new GZIPInputStream(new ByteArrayInputStream(data))) {
                byte[] out = g.readNBytes(expected);
                if (out.length != expected || g.read() != -1) {
                    throw new IOException("gzip chunk does not hold " + expected + " bytes");
                }
                return out;
            }
        }
        Inflater inf = new Inflater();
        try {
            inf.setInput(data);
            byte[] out = new byte[expected];
            int n = 0;
            while (n < expected && !inf.finished()) {
                int k = inf.inflate(out, n, expected - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (n != expected || !inf.finished()) {
                throw new IOException("zlib chunk does not hold " + expected + " bytes");
            }
            return out;
        } catch (DataFormatException e) {
            throw new IOException("corrupt zlib chunk", e);
        } finally {
            inf.end();
        }
    }
}
