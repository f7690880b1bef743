package org.zooscope.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;

/** Positional reads from a {@link ByteSource}; package-private helper for the format parsers. Not thread-safe. */
final class FileBytes implements AutoCloseable {

    private final ByteSource source;
    private final long size;

    FileBytes(ByteSource source) throws IOException {
        this.source = source;
        this.size = source.size();
    }

    long size() {
        return size;
    }

    /** Reads exactly {@code len} bytes at {@code pos}; EOFException if the file is shorter. */
    ByteBuffer read(long pos, int len, ByteOrder order) throws IOException {
        if (pos < 0 || len < 0 || pos + len > size) {
            throw new EOFException("need bytes " + pos + ".." + (pos + len) + " of a " + size + "-byte file");
        }
        ByteBuffer b = ByteBuffer.allocate(len).order(order);
        readFully(pos, b);
        b.flip();
        return b;
    }

    /** Fills {@code dst} from {@code pos}; EOFException if the file is shorter. */
    void readFully(long pos, ByteBuffer dst) throws IOException {
        long p = pos;
        while (dst.hasRemaining()) {
            int n = source.read(p, dst);
            if (n < 0) {
                throw new EOFException("file ends at " + p);
            }
            p += n;
        }
    }

    /** Up to {@code len} leading bytes (fewer if the file is shorter). */
    byte[] head(int len) throws IOException {
        int n = (int) Math.min(len, size);
        ByteBuffer b = ByteBuffer.allocate(n);
        readFully(0, b);
        return b.array();
    }

    /** The same bytes for ImageIO decoders (compressed TIFF, PNG); closing it leaves this source open. */
    ImageInputStream imageStream() {
        return new ImageInputStreamImpl() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                checkClosed();
                bitOffset = 0;
                if (streamPos >= size) {
                    return -1;
                }
                int n = source.read(streamPos, ByteBuffer.wrap(b, off, (int) Math.min(len, size - streamPos)));
                if (n > 0) {
                    streamPos += n;
                }
                return n;
            }

            @Override
            public long length() {
                return size;
            }
        };
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
