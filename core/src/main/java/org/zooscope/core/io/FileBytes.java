package org.zooscope.core.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Positional reads from a file; package-private helper for the format parsers. Not thread-safe. */
final class FileBytes implements AutoCloseable {

    private final FileChannel channel;
    private final long size;

    FileBytes(Path file) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.size = channel.size();
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
            int n = channel.read(dst, p);
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

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
