package org.zooscope.core.events;

/** The lifecycle of a job: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED}. */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
