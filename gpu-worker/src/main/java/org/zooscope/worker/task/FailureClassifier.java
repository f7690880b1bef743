package org.zooscope.worker.task;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.worker.inference.ModelOutputException;
import org.zooscope.worker.inference.ModelRepository;

/**
 * The one place that decides whether a failed task is worth another try. Transient: network and storage hiccups,
 * timeouts, an engine out of memory. Fatal: a malformed task, a missing input, a model that cannot load or returns
 * garbage. Unknown failures are retried, since the retry budget bounds them.
 */
public final class FailureClassifier {
    private FailureClassifier() {
    }

    public static boolean isRetriable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ModelOutputException || t instanceof ModelRepository.InvalidModelException
                    || t instanceof TileProcessor.InvalidTaskException || t instanceof EventJson.MalformedEventException
                    || t instanceof ObjectStore.NoSuchObjectException || t instanceof IllegalArgumentException) {
                return false;
            }
            if (t instanceof IOException || t instanceof TimeoutException
                    || t instanceof software.amazon.awssdk.core.exception.SdkClientException) {
                return true;
            }
            if (t.getMessage() != null && t.getMessage().contains("Failed to allocate memory")) {
                return true;
            }
        }
        return true;
    }

    /** A short reason a user can act on. */
    public static String reason(Throwable failure) {
        String m = failure.getMessage();
        return failure.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
