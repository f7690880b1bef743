package org.zooscope.core.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The file a service writes once it serves ({@code ZOOSCOPE_READY_FILE}), which the local launcher and the containers'
 * probes test. Cleared first thing at start: a killed run leaves its file behind, and the directory may outlive the
 * process (a kept volume, a container restarted in its pod), so a stale file would claim readiness too early.
 */
public final class ReadyMarker {
    private final Path file;

    private ReadyMarker(Path file) {
        this.file = file;
    }

    /** The marker at {@code file} (null or blank: none, every call does nothing), cleared now. */
    public static ReadyMarker cleared(String file) {
        ReadyMarker m = new ReadyMarker(file == null || file.isBlank() ? null : Path.of(file).toAbsolutePath());
        m.clear();
        return m;
    }

    public static ReadyMarker cleared(Path file) {
        return cleared(file == null ? null : file.toString());
    }

    /** The service serves. */
    public void mark() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "ready\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ready file " + file, e);
        }
    }

    /** The service no longer serves (or not yet). */
    public void clear() {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the ready file " + file, e);
        }
    }
}
