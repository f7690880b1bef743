package org.zooscope.core.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link ObjectStore} in memory, for unit tests of stages that read and write pixels (topology tests with
 * {@code TopologyTestDriver}). Integration tests and the running stack use {@link S3ObjectStore} on a real server.
 */
public final class InMemoryObjectStore implements ObjectStore {
    private final ConcurrentSkipListMap<String, byte[]> objects = new ConcurrentSkipListMap<>();

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        objects.put(key, bytes.clone());
    }

    @Override
    public void put(String key, Path file, String contentType) {
        try {
            objects.put(key, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] get(String key) {
        byte[] b = objects.get(key);
        if (b == null) {
            throw new NoSuchObjectException(key);
        }
        return b.clone();
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(get(key));
    }

    @Override
    public Optional<Long> size(String key) {
        return Optional.ofNullable(objects.get(key)).map(b -> (long) b.length);
    }

    @Override
    public List<String> list(String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public void deletePrefix(String prefix) {
        objects.keySet().removeIf(k -> k.startsWith(prefix));
    }

    @Override
    public String uri(String key) {
        return "mem://" + key;
    }
}
