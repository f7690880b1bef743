package org.zooscope.core.zarr;

import java.io.IOException;

/**
 * Where a Zarr store's objects go: a key ({@code "/"}-separated, relative to the store root, e.g.
 * {@code "0/.zarray"} or {@code "0/3/1/2"}) and its bytes. Implementations: {@link DirectoryStore}, {@link MemoryStore};
 * an S3 bucket prefix is a natural third. The writer never reads back and may call {@code put} for one key once;
 * implementations used from several threads must be thread-safe (both here are). The sink does not keep the array.
 */
@FunctionalInterface
public interface ObjectSink {

    /** Stores {@code bytes} under {@code key}, replacing any previous object. */
    void put(String key, byte[] bytes) throws IOException;
}
