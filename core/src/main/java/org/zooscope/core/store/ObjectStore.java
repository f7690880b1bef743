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
     * Writes one object piece by piece, for data that arrives in chunks (an upload streaming in). Stores that can (S3:
     * a multipart upload) hold only one part in memory at a time; the default collects the chunks and writes them at
     * {@link ObjectWriter#finish()}, which is fine for the small in-memory store of unit tests. Nothing is visible at
     * {@code key} before {@code finish()}, and nothing is left after {@link ObjectWriter#abort()}.
     */
    default ObjectWriter writer(String key, String contentType) {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        return new ObjectWriter() {
            @Override
            public void write(byte[] bytes, int off, int len) {
                buffer.write(bytes, off, len);
            }

            @Override
            public long finish() {
                put(key, buffer.toByteArray(), contentType);
                return buffer.size();
            }

            @Override
            public void abort() {
                buffer.reset();
            }
        };
    }

    /** See {@link #writer}. Used by one thread at a time. */
    interface ObjectWriter {
        void write(byte[] bytes, int off, int len);

        /** Makes the object visible; returns its size in bytes. */
        long finish();

        /** Drops what was written (idempotent; harmless after a failure). */
        void abort();
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

    /**
     * The names one level below {@code prefix} (which ends in {@code /}): for {@code a/} holding {@code a/x/1} and
     * {@code a/y}, {@code [x, y]}, sorted. Lets a caller see the folders of a prefix without listing every object in
     * them (S3: one delimited listing).
     */
    default java.util.SortedSet<String> children(String prefix) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        for (String key : list(prefix)) {
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            out.add(slash < 0 ? rest : rest.substring(0, slash));
        }
        return out;
    }

    /** Every object under {@code prefix} with its size in bytes, in key order (S3: the listing's own sizes, one call). */
    default java.util.SortedMap<String, Long> sizes(String prefix) {
        java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
        for (String key : list(prefix)) {
            size(key).ifPresent(n -> out.put(key, n));
        }
        return out;
    }

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
