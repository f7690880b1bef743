package org.zooscope.gateway.problem;

import org.zooscope.core.failure.Failures;

/** Which of the gateway's dependencies a failure says is down (the store, the catalogue, the broker), if any. */
final class Unreachable {
    static final int RETRY_AFTER_SECONDS = 30;

    private Unreachable() {
    }

    /** A user-facing name of the unreachable dependency, or null when the failure is not an outage. */
    static String dependency(Throwable failure) {
        if (!Failures.isTransient(failure)) {
            return null;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String type = t.getClass().getName();
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (type.startsWith("software.amazon.awssdk")) {
                return "the object store (S3)";
            }
            if (message.startsWith("job search failed")) {
                return "the catalogue of finished jobs (OpenSearch)";
            }
            if (type.startsWith("org.opensearch") || message.startsWith("model search failed")
                    || message.startsWith("model lookup failed")) {
                return "the model catalogue (OpenSearch)";
            }
            if (type.startsWith("org.apache.kafka")) {
                return "the event broker (Kafka)";
            }
        }
        return null;
    }
}
