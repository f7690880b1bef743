package org.zooscope.jobstream.admission;

import java.util.ArrayList;
import java.util.List;

/**
 * The service's one queue: the jobs running and the jobs waiting, oldest first. Immutable; kept as one entry of the
 * admission store (a single partition holds it, so there is one order).
 */
public record AdmissionState(List<String> running, List<String> waiting) {
    public AdmissionState {
        running = running == null ? List.of() : List.copyOf(running);
        waiting = waiting == null ? List.of() : List.copyOf(waiting);
    }

    static AdmissionState empty() {
        return new AdmissionState(List.of(), List.of());
    }

    boolean knows(String jobId) {
        return running.contains(jobId) || waiting.contains(jobId);
    }

    AdmissionState withWaiting(String jobId) {
        List<String> w = new ArrayList<>(waiting);
        w.add(jobId);
        return new AdmissionState(running, w);
    }

    AdmissionState without(String jobId) {
        List<String> r = new ArrayList<>(running);
        List<String> w = new ArrayList<>(waiting);
        r.remove(jobId);
        w.remove(jobId);
        return new AdmissionState(r, w);
    }

    /** Moves the oldest waiting jobs into the free places; {@code admitted} receives them in order. */
    AdmissionState admit(int capacity, List<String> admitted) {
        List<String> r = new ArrayList<>(running);
        List<String> w = new ArrayList<>(waiting);
        while (r.size() < capacity && !w.isEmpty()) {
            String next = w.remove(0);
            r.add(next);
            admitted.add(next);
        }
        return new AdmissionState(r, w);
    }
}
