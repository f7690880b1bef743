package org.zooscope.core.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * The one queue of jobs, on {@link Topics#JOBS_ADMISSION} (a single partition, so there is one order for the whole
 * service whatever partition a job's own events are on): a planned job asks to run, an ended one gives its place back.
 * Job-stream's admission answers each job on the progress topic with {@link JobProgress.Admitted} or its
 * {@link JobProgress.Queued} position.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Admission.Waiting.class, name = "waiting"),
        @JsonSubTypes.Type(value = Admission.Released.class, name = "released")
})
public sealed interface Admission {
    /** The key every admission record has: one partition, one order. */
    String KEY = "queue";

    String jobId();

    /** A planned job waits for its turn. */
    record Waiting(String jobId, Instant submittedAt) implements Admission {
    }

    /** A job ended (or was cancelled while waiting): its place is free. */
    record Released(String jobId) implements Admission {
    }
}
