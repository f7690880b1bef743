package org.zooscope.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Random-access bytes of one image file, wherever they are: a local file or an object in S3 (read by ranges). The
 * readers only ever ask for positions, so an upload can be decoded where it was streamed to without a local copy.
 * Not thread-safe.
 */
public interface ByteSource extends AutoCloseable {

    long size() throws IOException;

    /** Fills {@code dst} from byte {@code pos}; fewer bytes only at the end of the source. Returns bytes read, -1 at end. */
    int read(long pos, ByteBuffer dst) throws IOException;

    @Override
    void close() throws IOException;

    static ByteSource of(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new ByteSource() {
            @Override
            public long size() throws IOException {
                return channel.size();
            }

            @Override
            public int read(long pos, ByteBuffer dst) throws IOException {
                return channel.read(dst, pos);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
