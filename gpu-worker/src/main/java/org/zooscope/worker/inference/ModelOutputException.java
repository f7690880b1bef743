package org.zooscope.worker.inference;

import org.zooscope.core.failure.Failures;

/** A model returned something unusable (wrong shape, NaN): retrying will not help. */
public final class ModelOutputException extends RuntimeException implements Failures.Fatal {
    public ModelOutputException(String message) {
        super(message);
    }
}
