package org.zooscope.gateway.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.zooscope.core.events.JobStatus;

/**
 * A job as clients see it (contract: {@code GET /api/v1/jobs/{id}}). {@code results} maps result names to their
 * download paths; owner and share-token hashes stay inside. {@code expiresAt}: when the results are deleted (null
 * while the job has not ended); once passed, {@code results} is empty and the result paths answer {@code 410}.
 * {@code notes}: what was done on the user's behalf (an input rescaled to a model's pixel size, or why not).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobView(String id, String state, double progress, String stage, Integer queuePosition, Instant submittedAt,
                      Instant finishedAt, String error, List<String> models, Map<String, String> results, Double etaSeconds,
                      Instant expiresAt, List<String> notes) {

    static JobView of(JobStatus s, Instant expiresAt, boolean expired) {
        Map<String, String> links = new java.util.LinkedHashMap<>();
        if (s.results() != null && !expired) {
            s.results().keySet().forEach(name -> links.put(name, "/api/v1/jobs/" + s.jobId() + "/results/" + name));
        }
        return new JobView(s.jobId(), s.state().name(), s.progress(), s.stage(), s.queuePosition(), s.submittedAt(),
                s.finishedAt(), s.error(), s.models(), links, s.etaSeconds(), expiresAt, s.notes());
    }
}
