package org.zooscope.gateway.job;

import java.io.InputStream;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Downloads of a job's results, streamed from S3 (never loaded whole into the gateway). */
@RestController
class ResultController {
    private final JobController jobs;
    private final ObjectStore store;

    ResultController(JobController jobs, ObjectStore store) {
        this.jobs = jobs;
        this.store = store;
    }

    @GetMapping({"/api/v1/jobs/{id}/results/{name}", "/api/v1/jobs/{id}/results/{dir}/{name}",
            "/api/v1/jobs/{id}/results/{dir}/{sub}/{name}"})
    Mono<ResponseEntity<InputStreamResource>> result(@PathVariable String id, @PathVariable(required = false) String dir,
                                                     @PathVariable(required = false) String sub, @PathVariable String name,
                                                     @RequestParam(required = false) String token,
                                                     ServerWebExchange exchange) {
        JobStatus s = jobs.visible(id, token, exchange);
        String result = (dir == null ? "" : dir + "/") + (sub == null ? "" : sub + "/") + name;
        String key = s.results() == null ? null : s.results().get(result);
        if (key == null) {
            throw ApiProblem.notFound("job '" + id + "' has no result '" + result + "'"
                    + (s.state().isFinal() ? "" : " yet (it is " + s.state() + ")"));
        }
        return Mono.fromCallable(() -> {
            long size = store.size(key).orElseThrow(() -> ApiProblem.notFound("result '" + result + "' is gone"));
            InputStream in = store.open(key);
            return ResponseEntity.ok()
                    .contentType(mediaType(name))
                    .contentLength(size)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-" + result.replace('/', '-') + "\"")
                    .body(new InputStreamResource(in));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private static MediaType mediaType(String name) {
        if (name.endsWith(".tif")) {
            return MediaType.parseMediaType("image/tiff");
        }
        if (name.endsWith(".png")) {
            return MediaType.IMAGE_PNG;
        }
        if (name.endsWith(".json")) {
            return MediaType.APPLICATION_JSON;
        }
        if (name.endsWith(".zip")) {
            return MediaType.parseMediaType("application/zip");
        }
        return MediaType.APPLICATION_OCTET_STREAM;
    }
}
