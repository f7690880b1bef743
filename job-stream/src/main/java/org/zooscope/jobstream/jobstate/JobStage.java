package org.zooscope.jobstream.jobstate;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.zooscope.core.events.JobState;

/**
 * Where a job is on its way, in order: each stage belongs to one state the user sees and starts the progress bar at
 * the share of a preview the stages before it take (measured on a 1000 x 1000 x 5 preview on 2 cores: statistics about
 * 5 %, inference about 80 %, the last slices and the stacks about 15 %), so the bar moves at an even pace. A job only
 * moves forward; a final stage is never left.
 */
public enum JobStage {
    PLANNING("planning", JobState.QUEUED, 0),
    QUEUED("queued", JobState.QUEUED, 0.01),
    PREPROCESSING("preprocessing", JobState.RUNNING, 0.02),
    INFERENCE("inference", JobState.RUNNING, 0.07),
    ASSEMBLING("assembling", JobState.RUNNING, 0.87),
    SUCCEEDED("succeeded", JobState.SUCCEEDED, 1),
    FAILED("failed", JobState.FAILED, 0),
    CANCELLED("cancelled", JobState.CANCELLED, 0);

    /** Every slice stitched and rendered: the stacks are written from here to 1. */
    public static final double SLICES_ASSEMBLED = 0.92;

    private final String wire;
    private final JobState state;
    private final double startsAt;

    JobStage(String wire, JobState state, double startsAt) {
        this.wire = wire;
        this.state = state;
        this.startsAt = startsAt;
    }

    /** The stage as {@code JobStatus.stage} shows it (public contract: lower case). */
    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static JobStage ofWire(String wire) {
        for (JobStage s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown job stage '" + wire + "'");
    }

    public JobState state() {
        return state;
    }

    /** The progress when the stage begins. */
    public double startsAt() {
        return startsAt;
    }

    /** The final stage of a job that ends in {@code s}. */
    public static JobStage finalFor(JobState s) {
        return switch (s) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            default -> throw new IllegalArgumentException(s + " is not a final state");
        };
    }

    /** Whether a job in this stage may move to {@code next}: forward only, and never out of a final stage. */
    public boolean mayMoveTo(JobStage next) {
        if (state.isFinal()) {
            return false;
        }
        return next.state.isFinal() || next.ordinal() > ordinal();
    }
}
