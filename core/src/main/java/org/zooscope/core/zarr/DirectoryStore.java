package org.zooscope.core.zarr;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;

/**
 * A Zarr store in a directory: key {@code a/b/c} is the file {@code root/a/b/c}. Writes go to a temporary file that is
 * then moved into place, so a reader never sees half an object. Keys with {@code ..}, empty segments or a leading
 * {@code /} are refused. Thread-safe.
 */
public final class DirectoryStore implements ObjectSink, ObjectSource {

    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    private final Path root;

    public DirectoryStore(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    public Path root() {
        return root;
    }

    private Path resolve(String key) {
        if (key.isEmpty() || key.startsWith("/") || key.contains("\\")) {
            throw new IllegalArgumentException("invalid store key: " + key);
        }
        for (String part : key.split("/", -1)) {
            if (part.isEmpty() || part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException("invalid store key: " + key);
            }
        }
        return root.resolve(key);
    }

    @Override
    public void put(String key, byte[] bytes) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        // a unique sibling name without SecureRandom (Files.createTempFile can block on entropy when seeding)
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet());
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
