package org.zooscope.gateway.job;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.gateway.config.GatewayProperties;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import org.zooscope.catalog.search.JobSearch;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What past jobs tell before a new one runs: the caller's earlier results near a point of a hosted dataset, and how
 * long a job would take. Both read the finished jobs in the catalogue (OpenSearch); while it is down they answer 503.
 */
@RestController
class PastJobsController {
    /** Far beyond any volume, and far from int overflow with a margin added. */
    private static final int MAX_COORDINATE = 1_000_000_000;

    private final JobSearch jobs;
    private final JobEstimates estimates;
    private final JobsProperties settings;
    private final GatewayProperties props;

    PastJobsController(JobSearch jobs, JobEstimates estimates, JobsProperties settings, GatewayProperties props) {
        this.jobs = jobs;
        this.estimates = estimates;
        this.settings = settings;
        this.props = props;
    }

    /**
     * The caller's finished jobs on the dataset whose region holds slice {@code z} and comes within {@code margin}
     * voxels of {@code (x, y)}, and full runs of it, nearest first (then newest first).
     */
    @GetMapping("/api/v1/jobs")
    Mono<Map<String, Object>> near(@RequestParam(required = false) String datasetId,
                                   @RequestParam(required = false) String x, @RequestParam(required = false) String y,
                                   @RequestParam(required = false) String z, @RequestParam(required = false) String margin,
                                   @RequestParam(required = false) String from, @RequestParam(required = false) String size,
                                   ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        if (datasetId == null || datasetId.isBlank()) {
            throw ApiProblem.badRequest("datasetId is missing: ask for the jobs near a point of a dataset, e.g."
                    + " ?datasetId=sbem-cortex&x=1200&y=800&z=40");
        }
        if (!DatasetKeys.isValidId(datasetId)) {
            throw ApiProblem.badRequest("datasetId '" + datasetId + "' is not a dataset id (1-63 lower-case letters,"
                    + " digits or dashes; see GET /api/v1/datasets)");
        }
        JobSearch.Near query = new JobSearch.Near(datasetId, required("x", x), required("y", y), required("z", z),
                optional("margin", margin, settings.nearMargin(), 0, 100_000), caller.ownerHash(),
                optional("from", from, 0, 0, JobSearch.MAX_FROM), optional("size", size, 50, 1, JobSearch.MAX_PAGE));
        return Mono.fromCallable(() -> {
            JobSearch.Page page = jobs.near(query);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", page.items().stream().map(this::item).toList());
            body.put("total", page.total());
            return body;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** The same body as {@code POST /api/v1/jobs}, checked the same way, answered with the expected runtime. */
    @PostMapping(path = "/api/v1/jobs/estimate", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> estimate(@RequestBody JobRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        return Mono.fromCallable(() -> {
            JobEstimates.Estimate e = estimates.estimate(body, caller);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("seconds", e.seconds());
            answer.put("tiles", e.tiles());
            answer.put("basis", e.basis());
            answer.put("models", e.models().stream().map(m -> {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("id", m.id());
                one.put("tiles", m.tiles());
                one.put("secondsPerTile", Double.parseDouble(TileRates.seconds(m.secondsPerTile())));
                one.put("basis", m.basis());
                return one;
            }).toList());
            return answer;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private Map<String, Object> item(JobSearch.Found f) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", f.jobId());
        item.put("state", f.state().name());
        item.put("models", f.models());
        item.put("datasetId", f.datasetId());
        if (f.roi() != null) {
            Map<String, Object> roi = new LinkedHashMap<>();
            roi.put("x", f.roi().x());
            roi.put("y", f.roi().y());
            roi.put("z", f.roi().z());
            roi.put("width", f.roi().width());
            roi.put("height", f.roi().height());
            roi.put("depth", f.roi().depth());
            item.put("roi", roi);
        }
        item.put("fullRun", f.roi() == null);
        item.put("distance", Math.round(f.distance()));
        item.put("augmentation", f.augmentation());
        item.put("finishedAt", f.finishedAt() == null ? null : f.finishedAt().toString());
        item.put("viewUrl", props.publicUrl() + "/view/" + f.jobId());
        return item;
    }

    private static int required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ApiProblem.badRequest(name + " is missing: give the point as x, y and z (level-0 voxels of the dataset)");
        }
        return wholeNumber(name, value, 0, MAX_COORDINATE);
    }

    private static int optional(String name, String value, int fallback, int min, int max) {
        return value == null || value.isBlank() ? fallback : wholeNumber(name, value, min, max);
    }

    private static int wholeNumber(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest(name + " must be a whole number from " + min + " to " + max + " but was '" + value + "'");
    }
}
