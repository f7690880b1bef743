package org.zooscope.core.process;

/** A bioimage.io processing step that cannot be used, with the offending step id and value. */
public final class ProcessingSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String step;
    private final transient Object value;

    public ProcessingSpecException(String step, Object value, String problem) {
        super("processing step '" + step + "': " + problem + " (got " + value + ")");
        this.step = step;
        this.value = value;
    }

    /** The step id (or name), as given. */
    public String step() {
        return step;
    }

    /** The offending value. */
    public Object value() {
        return value;
    }
}
