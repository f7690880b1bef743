package org.zooscope.core.failure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.store.ObjectStore;

/**
 * The one place that decides whether a failed piece of work is worth another try. Fatal: the input itself is wrong
 * (a malformed event, a missing object, an unreadable image, an invalid model, a value out of range, anything marked
 * {@link Fatal}) — retrying gives the same answer, so the job fails with the reason. Retriable: the world hiccupped
 * (I/O, network, timeouts, the S3 client) — try again with backoff. Anything unknown is retried: the retry budget
 * (worker) or the job's deadline (pipeline) bounds it.
 */
public final class Failures {
    private Failures() {
    }

    /** Marks an exception type whose cause is the work itself, not the environment. */
    public interface Fatal {
    }

    public static boolean isRetriable(Throwable failure) {
        // the whole chain is searched: a wrong input wrapped in an I/O exception is still a wrong input
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Fatal || t instanceof EventJson.MalformedEventException
                    || t instanceof ObjectStore.NoSuchObjectException || t instanceof ImageReadException
                    || t instanceof InvalidModelPackageException || t instanceof IllegalArgumentException
                    || t instanceof ArithmeticException || t instanceof IndexOutOfBoundsException) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the environment failed rather than the work: the store, the network or a timeout (I/O, the S3 client),
     * and nothing in the chain marks the work itself as wrong. Such a failure ends when the outage ends, so it is worth
     * retrying for as long as a job can wait — unlike an unknown failure, which a few tries settle.
     */
    public static boolean isTransient(Throwable failure) {
        if (!isRetriable(failure)) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException
                    || t.getClass().getName().startsWith("software.amazon.awssdk.core.exception.SdkClientException")) {
                return true;
            }
        }
        return false;
    }

    /** A short reason a user can act on: the failure's own message, not a stack trace. */
    public static String reason(Throwable failure) {
        Throwable t = failure;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
