package org.zooscope.core.io;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file of a stack for {@link VolumeReader#readEachSource}: the name errors quote (the user's file name) and a way
 * to open its bytes, which the reader may do more than once (headers first, then pixels).
 */
public record SliceSource(String name, Opener opener) {

    /** Opens the bytes; {@link NoSuchFileException} when there is nothing there. */
    @FunctionalInterface
    public interface Opener {
        ByteSource open() throws IOException;
    }

    public SliceSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opener, "opener");
    }

    public static SliceSource of(Path file) {
        Objects.requireNonNull(file, "file");
        Path n = file.getFileName();
        return new SliceSource(n == null ? file.toString() : n.toString(), () -> ByteSource.of(file));
    }
}
