package org.zooscope.gateway.dataset;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A minimal, fast PNG encoder for viewer tiles: 8-bit grey or 8-bit RGBA, no filter, zlib at the fastest level (a
 * 256 × 256 tile encodes in about a millisecond, several times faster than ImageIO's default). Stateless.
 */
final class TilePng {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final int GREY = 0;
    private static final int RGBA = 6;

    private TilePng() {
    }

    /** {@code w × h} grey samples, row-major. */
    static byte[] grey(byte[] samples, int w, int h) {
        return encode(samples, w, h, 1, GREY);
    }

    /** {@code w × h} RGBA pixels, four bytes each, row-major. */
    static byte[] rgba(byte[] pixels, int w, int h) {
        return encode(pixels, w, h, 4, RGBA);
    }

    private static byte[] encode(byte[] data, int w, int h, int channels, int colourType) {
        int row = w * channels;
        byte[] raw = new byte[(row + 1) * h];
        for (int y = 0; y < h; y++) {
            // filter type 0 (none) in front of each row
            System.arraycopy(data, y * row, raw, y * (row + 1) + 1, row);
        }
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        ByteArrayOutputStream idat = new ByteArrayOutputStream(raw.length / 2 + 64);
        try {
            d.setInput(raw);
            d.finish();
            byte[] buf = new byte[16384];
            while (!d.finished()) {
                idat.write(buf, 0, d.deflate(buf));
            }
        } finally {
            d.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
        out.writeBytes(SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) colourType)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
