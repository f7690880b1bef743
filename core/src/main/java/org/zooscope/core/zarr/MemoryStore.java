package org.zooscope.core.zarr;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory store (tests, small results). Thread-safe; stores copies of the byte arrays. */
public final class MemoryStore implements ObjectSink, ObjectSource {

    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();

    @Override
    public void put(String key, byte[] bytes) {
        objects.put(key, bytes.clone());
    }

    @Override
    public Optional<byte[]> get(String key) {
        byte[] b = objects.get(key);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    /** All keys, sorted. */
    public Set<String> keys() {
        return new TreeSet<>(objects.keySet());
    }
}
