package org.zooscope.core.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where pixels live: an S3 bucket (or anything shaped like one). Keys are deterministic, so writing the same key
 * twice is harmless. Implementations are thread-safe.
 */
public interface ObjectStore {

    void put(String key, byte[] bytes, String contentType);

    void put(String key, Path file, String contentType);

    /**
     * Stores everything {@code in} yields, however long, and returns the number of bytes stored. Stores that can
     * (S3: a multipart upload) hold only one part in memory at a time; the default reads the stream whole, which is
     * fine for the small in-memory store of unit tests. Nothing is left at {@code key} if the stream fails.
     */
    default long putStream(String key, InputStream in, String contentType) throws java.io.IOException {
        byte[] bytes = in.readAllBytes();
        put(key, bytes, contentType);
        return bytes.length;
    }

    /** The whole object; {@link NoSuchObjectException} when it does not exist. */
    byte[] get(String key);

    /** A stream over the object; the caller closes it. */
    InputStream open(String key);

    /**
     * A stream over {@code length} bytes of the object from {@code offset} (an HTTP range request's bytes). The
     * default skips through the object; stores that can fetch a range (S3) override it.
     */
    default InputStream open(String key, long offset, long length) {
        InputStream in = open(key);
        try {
            in.skipNBytes(offset);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot skip to byte " + offset + " of " + key, e);
        }
        return new java.io.FilterInputStream(in) {
            private long left = length;

            @Override
            public int read() throws java.io.IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws java.io.IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buf, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }
        };
    }

    Optional<Long> size(String key);

    List<String> list(String prefix);

    void deletePrefix(String prefix);

    /** {@code s3://bucket/key}, as events and the completion contract name results. */
    String uri(String key);

    /** A key that is not in the store. */
    final class NoSuchObjectException extends RuntimeException {
        public NoSuchObjectException(String key) {
            super("no object at key " + key);
        }
    }
}
