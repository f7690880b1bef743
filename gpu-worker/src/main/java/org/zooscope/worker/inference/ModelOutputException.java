package org.zooscope.worker.inference;

/** A model returned something unusable (wrong shape, NaN): retrying will not help. */
public final class ModelOutputException extends RuntimeException {
    public ModelOutputException(String message) {
        super(message);
    }
}
