package org.zooscope.gateway.recommend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.gateway.security.Caller;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/recommendations} starts a recommendation ({@code 202 {"id", "state", "jobId"}});
 * {@code GET /api/v1/recommendations/{id}} answers {@code {"id", "state", "progress", "stage", "jobId", "items":
 * [{"model", "structure", "score", "basis", "thumbnail"}], "excluded": [{"model", "reason"}], "sample": {"first",
 * "count", "of", "description"}, "error"}}, the items best first once it has {@code SUCCEEDED} (while it runs they
 * list the models being compared, without scores); {@code sample} says which slices the models ran on.
 * For the owner only, like jobs.
 */
@RestController
class RecommendationController {
    private final Recommendations recommendations;

    RecommendationController(Recommendations recommendations) {
        this.recommendations = recommendations;
    }

    @PostMapping(path = "/api/v1/recommendations", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> submit(@RequestBody(required = false) RecommendationRequest body,
                                                     ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        return Mono.fromCallable(() -> {
            Recommendation r = recommendations.submit(body, caller);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", r.id());
            answer.put("state", JobState.QUEUED.name());
            answer.put("jobId", r.jobId());
            answer.put("models", r.models().stream().map(Recommendation.Candidate::model).toList());
            answer.put("excluded", r.excluded());
            putSample(answer, r);
            return ResponseEntity.accepted().body(answer);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/recommendations/{id}")
    Mono<Map<String, Object>> get(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        return Mono.fromCallable(() -> {
            Recommendation r = recommendations.get(id, caller);
            return view(r, recommendations.status(r));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The slices the models run on, when the recommendation says (those stored before samples do not). */
    private static void putSample(Map<String, Object> body, Recommendation r) {
        if (r.sample() != null) {
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("first", r.sample().first());
            sample.put("count", r.sample().count());
            sample.put("of", r.sample().of());
            sample.put("description", r.sample().describe());
            body.put("sample", sample);
        }
    }

    private static Map<String, Object> view(Recommendation r, Optional<JobStatus> job) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", r.id());
        String state;
        double progress;
        String stage;
        String error = null;
        if (r.items() != null) {
            state = JobState.SUCCEEDED.name();
            progress = 1;
            stage = "scored";
        } else if (job.isEmpty()) {
            state = JobState.QUEUED.name();
            progress = 0;
            stage = "queued";
        } else {
            JobStatus s = job.get();
            // the job's end is not the recommendation's: scoring comes after it
            state = s.state() == JobState.CANCELLED ? JobState.FAILED.name() : s.state().name();
            progress = Math.min(0.99, s.progress());
            stage = s.stage();
            if (s.state().isFinal()) {
                error = "the models' run " + s.state().name().toLowerCase(java.util.Locale.ROOT) + ": "
                        + (s.error() == null ? "no reason given" : s.error());
            }
        }
        body.put("state", state);
        body.put("progress", progress);
        body.put("stage", stage);
        body.put("jobId", r.jobId());
        body.put("structure", r.structure());
        body.put("augmentation", r.augmentation());
        body.put("submittedAt", r.submittedAt());
        putSample(body, r);
        List<Map<String, Object>> items = new ArrayList<>();
        if (r.items() != null) {
            for (Recommendation.Item i : r.items()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("model", i.model());
                item.put("structure", i.structure());
                item.put("score", i.score());
                item.put("basis", i.basis());
                item.put("thumbnail", "/api/v1/jobs/" + r.jobId() + "/slices/" + i.slice() + ".png?layer=overlay&model="
                        + i.model());
                items.add(item);
            }
        } else {
            for (Recommendation.Candidate c : r.models()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("model", c.model());
                item.put("structure", c.structure());
                item.put("score", null);
                items.add(item);
            }
        }
        body.put("items", items);
        body.put("excluded", r.excluded());
        if (error != null) {
            body.put("error", error);
        }
        return body;
    }
}
