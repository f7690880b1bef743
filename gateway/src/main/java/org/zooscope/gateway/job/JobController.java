package org.zooscope.gateway.job;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobCancelRequested;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.Topics;
import org.zooscope.gateway.config.GatewayProperties;
import org.zooscope.gateway.limits.Expiry;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import org.zooscope.gateway.security.Hashes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Submit, watch, cancel and read jobs. Only the owner, or a holder of the job's share link, sees a job. */
@RestController
class JobController {
    private final KafkaTemplate<String, byte[]> kafka;
    private final JobStatusCache statuses;
    private final GatewayProperties props;
    private final SecureRandom random;
    private final ShareLinks shares;
    private final JobSubmitter submitter;
    private final Expiry expiry;

    JobController(KafkaTemplate<String, byte[]> kafka, JobStatusCache statuses, GatewayProperties props,
                  SecureRandom random, ShareLinks shares, JobSubmitter submitter, Expiry expiry) {
        this.shares = shares;
        this.submitter = submitter;
        this.expiry = expiry;
        this.kafka = kafka;
        this.statuses = statuses;
        this.props = props;
        this.random = random;
    }

    @PostMapping(path = "/api/v1/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Object>>> submit(@RequestBody JobRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        return Mono.fromCallable(() -> submit(body, caller)).subscribeOn(Schedulers.boundedElastic());
    }

    private ResponseEntity<Map<String, Object>> submit(JobRequest body, Caller caller) throws Exception {
        JobSubmitter.Submitted job = submitter.submit(body, caller);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", job.id());
        answer.put("state", JobState.QUEUED.name());
        answer.put("shareUrl", job.shareUrl());
        return ResponseEntity.accepted().body(answer);
    }

    @GetMapping("/api/v1/jobs/{id}")
    JobView get(@PathVariable String id, @RequestParam(required = false) String token, ServerWebExchange exchange) {
        return view(visible(id, token, exchange));
    }

    @GetMapping(path = "/api/v1/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<JobView>> events(@PathVariable String id, @RequestParam(required = false) String token,
                                          ServerWebExchange exchange) {
        JobStatus first = visible(id, token, exchange);
        Flux<JobStatus> updates = Flux.merge(statuses.changes(id),
                Flux.interval(Duration.ZERO, Duration.ofMillis(500)).map(t -> statuses.get(id).orElse(first)));
        Flux<ServerSentEvent<JobView>> events = updates
                // a waiting job's only change may be its place in the queue
                .distinctUntilChanged(s -> s.state() + "|" + s.stage() + "|" + s.progress() + "|" + s.queuePosition())
                .takeUntil(s -> s.state().isFinal())
                .map(s -> ServerSentEvent.builder(view(s)).id(s.jobId() + "-" + s.progress()).event("status").build());
        Flux<ServerSentEvent<JobView>> heartbeats = Flux.interval(props.heartbeat(), props.heartbeat())
                .map(t -> ServerSentEvent.<JobView>builder().comment("heartbeat").build());
        return events.mergeWith(heartbeats.takeUntilOther(events.ignoreElements().then(Mono.empty())))
                .takeUntil(e -> e.data() != null && isFinal(e.data().state()));
    }

    @DeleteMapping("/api/v1/jobs/{id}")
    Mono<ResponseEntity<JobView>> cancel(@PathVariable String id, ServerWebExchange exchange) {
        JobStatus s = owned(id, exchange);
        if (s.state().isFinal()) {
            return Mono.just(ResponseEntity.status(HttpStatus.CONFLICT).body(view(s)));
        }
        return Mono.fromFuture(kafka.send(Topics.JOBS_CONTROL.name(), id,
                        EventJson.toBytes(new JobCancelRequested(id, Instant.now()))))
                .thenReturn(ResponseEntity.accepted().body(view(s)));
    }

    /** A new share link for the job (the old one stops working): for its owner only. */
    @PostMapping("/api/v1/jobs/{id}/share")
    Mono<Map<String, Object>> newShareLink(@PathVariable String id, ServerWebExchange exchange) {
        owned(id, exchange);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(24));
        return Mono.fromCallable(() -> {
            shares.set(id, Hashes.sha256(token));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", id);
            answer.put("shareUrl", props.publicUrl() + "/view/" + id + "?token=" + token);
            return answer;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Revokes the job's share link: whoever holds it sees nothing any more. For its owner only. */
    @DeleteMapping("/api/v1/jobs/{id}/share")
    Mono<Map<String, Object>> revokeShareLink(@PathVariable String id, ServerWebExchange exchange) {
        owned(id, exchange);
        return Mono.fromCallable(() -> {
            shares.set(id, null);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", id);
            answer.put("shareUrl", null);
            return answer;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The job's status, when the caller owns it or holds its share token; otherwise 404 (no existence leak). */
    JobStatus visible(String id, String token, ServerWebExchange exchange) {
        JobStatus s = statuses.get(id).orElseThrow(() -> ApiProblem.notFound("job '" + id + "' does not exist"));
        boolean owner = Caller.of(exchange).map(c -> c.owns(s.ownerHash())).orElse(false);
        // a changed link replaces the submitted one; a revoked one (null) leaves none
        java.util.Optional<ShareLinks.Change> changed = shares.changed(id);
        String shareHash = changed.isPresent() ? changed.get().tokenHash() : s.shareTokenHash();
        boolean shared = token != null && shareHash != null && Hashes.same(Hashes.sha256(token), shareHash);
        if (!owner && !shared) {
            throw ApiProblem.notFound("job '" + id + "' does not exist");
        }
        return s;
    }

    /** The job's status when its results can still be read; {@code 410 Gone} once they expired. */
    JobStatus readable(String id, String token, ServerWebExchange exchange) {
        JobStatus s = visible(id, token, exchange);
        expiry.checkResults(s);
        return s;
    }

    private JobView view(JobStatus s) {
        Instant expiresAt = expiry.of(s);
        return JobView.of(s, expiresAt, expiry.passed(expiresAt));
    }

    private JobStatus owned(String id, ServerWebExchange exchange) {
        JobStatus s = statuses.get(id).orElseThrow(() -> ApiProblem.notFound("job '" + id + "' does not exist"));
        if (!Caller.of(exchange).map(c -> c.owns(s.ownerHash())).orElse(false)) {
            throw ApiProblem.notFound("job '" + id + "' does not exist");
        }
        return s;
    }

    private static boolean isFinal(String state) {
        return JobState.valueOf(state).isFinal();
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
