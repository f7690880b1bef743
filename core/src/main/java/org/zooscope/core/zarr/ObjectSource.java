package org.zooscope.core.zarr;

import java.io.IOException;
import java.util.Optional;

/** Reads objects of a Zarr store by key; the counterpart of {@link ObjectSink}. */
@FunctionalInterface
public interface ObjectSource {

    /** The object's bytes, or empty if there is no such key (a missing chunk means "all fill value"). */
    Optional<byte[]> get(String key) throws IOException;
}
