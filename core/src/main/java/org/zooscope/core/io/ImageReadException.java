package org.zooscope.core.io;

import java.util.Objects;

/**
 * An input image that cannot be accepted, with the reason as a {@link Kind}, the file name (never its directory), the
 * 0-based slice (plane) if the problem is in one slice, and the limit and actual value where a limit was broken.
 * Every kind is the client's fault, so a service turns it into a 4xx (413 for {@link Kind#TOO_LARGE}, 415 for
 * {@link Kind#UNSUPPORTED_FORMAT}/{@link Kind#UNSUPPORTED_DATA_TYPE}, 422/400 otherwise). I/O failures of the
 * machine itself are not reported with this exception.
 */
public final class ImageReadException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why an image was refused. */
    public enum Kind {
        /** The file has no bytes (or no slices were given). */
        EMPTY,
        /** The content is not PNG, TIFF or MRC. */
        UNSUPPORTED_FORMAT,
        /** The structure is invalid (bad header, bad directory, undecodable data). */
        CORRUPT,
        /** The file ends before the data its header declares. */
        TRUNCATED,
        /** Declared dimensions exceed {@link ReadLimits} (checked before decoding). */
        TOO_LARGE,
        /** Slices or pages differ in size or sample type. */
        INCONSISTENT_SLICES,
        /** A float image holds NaN or ±Infinity. */
        NON_FINITE,
        /** Width or height below {@link ReadLimits#minSide()}. */
        TOO_SMALL,
        /** Sample type or layout that is not supported (complex, multi-channel stacks, 1-bit/4-bit MRC...). */
        UNSUPPORTED_DATA_TYPE
    }

    private final Kind kind;
    private final String file;
    private final Integer slice;
    private final Long limit;
    private final Long actual;

    /**
     * @param kind    reason
     * @param file    file name shown to the user (no directory), or null
     * @param slice   0-based plane index, or null if the problem is not in one slice
     * @param limit   the limit that was broken, or null
     * @param actual  the offending value, or null
     * @param problem what is wrong, in words
     * @param cause   underlying exception, or null
     */
    public ImageReadException(Kind kind, String file, Integer slice, Long limit, Long actual, String problem,
            Throwable cause) {
        super(message(kind, file, slice, limit, actual, problem), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.file = file;
        this.slice = slice;
        this.limit = limit;
        this.actual = actual;
    }

    /** Shorthand without limit, actual value or cause. */
    public ImageReadException(Kind kind, String file, Integer slice, String problem) {
        this(kind, file, slice, null, null, problem, null);
    }

    private static String message(Kind kind, String file, Integer slice, Long limit, Long actual, String problem) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<input>" : file);
        if (slice != null) {
            sb.append(", slice ").append(slice);
        }
        sb.append(": ").append(kind).append(": ").append(problem);
        if (actual != null) {
            sb.append(" (actual ").append(actual);
            sb.append(limit != null ? ", limit " + limit + ")" : ")");
        } else if (limit != null) {
            sb.append(" (limit ").append(limit).append(')');
        }
        return sb.toString();
    }

    /** Why the image was refused. */
    public Kind kind() {
        return kind;
    }

    /** File name (no directory), or null when not tied to a file. */
    public String file() {
        return file;
    }

    /** 0-based slice index, or null when the problem is not in one slice. */
    public Integer slice() {
        return slice;
    }

    /** The configured limit that was exceeded, or null. */
    public Long limit() {
        return limit;
    }

    /** The offending value (bytes, planes, pixels, count of bad samples...), or null. */
    public Long actual() {
        return actual;
    }
}
