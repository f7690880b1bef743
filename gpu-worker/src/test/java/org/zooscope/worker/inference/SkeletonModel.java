package org.zooscope.worker.inference;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The walking skeleton's test model (a fixed symmetric 3x3 smoothing and a sigmoid, copied from system-tests), loaded
 * once per test JVM. Its kernel is symmetric under every flip and rotation of the square, so the model commutes with
 * them: undoing a variant's transform on its output must give exactly the un-augmented output.
 */
public final class SkeletonModel {
    private static LoadedModel model;

    private SkeletonModel() {
    }

    public static Path dir() {
        try {
            return Path.of(SkeletonModel.class.getResource("/models/skeleton-smooth").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static synchronized LoadedModel get() {
        if (model == null) {
            try {
                model = ModelRepository.loadDirectory(dir(), Device.cpu(), 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }
}
