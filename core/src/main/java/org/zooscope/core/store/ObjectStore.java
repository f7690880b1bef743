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

    /** The whole object; {@link NoSuchObjectException} when it does not exist. */
    byte[] get(String key);

    /** A stream over the object; the caller closes it. */
    InputStream open(String key);

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
