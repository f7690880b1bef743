package org.zooscope.gateway.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.zooscope.core.failure.Failures;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import org.zooscope.catalog.search.ModelSearch;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The model zoo: search with facets, one model's card, its package as a zip and pictures of its example input and
 * output. Public: no token needed to browse published models; with a token, an owner also sees their private ones.
 */
@RestController
class ModelController {
    private final ModelSearch search;
    private final ModelFiles files;
    private final LastGoodSearches lastGood;

    ModelController(ModelSearch search, ModelFiles files, LastGoodSearches lastGood) {
        this.search = search;
        this.files = files;
        this.lastGood = lastGood;
    }

    @GetMapping("/api/v1/models")
    Mono<Map<String, Object>> search(@RequestParam(required = false) String q,
                                     @RequestParam(required = false) String modality,
                                     @RequestParam(required = false) String component,
                                     @RequestParam(required = false) String dims,
                                     @RequestParam(required = false) String tier,
                                     @RequestParam(required = false) String organism,
                                     @RequestParam(required = false) Integer frames,
                                     @RequestParam(required = false) String license,
                                     @RequestParam(required = false) Double minVoxelNm,
                                     @RequestParam(required = false) Double maxVoxelNm,
                                     @RequestParam(defaultValue = "0") int from,
                                     @RequestParam(defaultValue = "50") int size,
                                     ServerWebExchange exchange) {
        Map<String, String> filters = new LinkedHashMap<>();
        putIf(filters, "modality", modality);
        putIf(filters, "component", component);
        putIf(filters, "dims", dims);
        putIf(filters, "tier", tier);
        putIf(filters, "organism", organism);
        putIf(filters, "frames", frames == null ? null : frames.toString());
        putIf(filters, "license", license);
        ModelSearch.Query query;
        try {
            query = new ModelSearch.Query(q, filters, minVoxelNm, maxVoxelNm, from, size, viewer(exchange));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        return Mono.fromCallable(() -> {
            ModelSearch.Result r;
            boolean stale = false;
            try {
                r = search.search(query);
                lastGood.remember(query, r);
            } catch (RuntimeException e) {
                // the catalogue is down: the last answer to the same search still lets people pick a model
                var last = Failures.isTransient(e) ? lastGood.last(query) : java.util.Optional.<ModelSearch.Result>empty();
                if (last.isEmpty()) {
                    throw e;
                }
                r = last.get();
                stale = true;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", r.items());
            body.put("total", r.total());
            body.put("facets", r.facets());
            if (stale) {
                body.put("stale", true);
                body.put("note", "the model catalogue is unreachable: this is its last answer to the same search");
            }
            return body;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/models/{id}")
    Mono<Map<String, Object>> card(@PathVariable String id, ServerWebExchange exchange) {
        String viewer = viewer(exchange);
        return Mono.fromCallable(() -> ModelFiles.publicCard(files.visibleDoc(id, viewer))).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/models/{id}/package.zip")
    Mono<ResponseEntity<byte[]>> download(@PathVariable String id, ServerWebExchange exchange) {
        String viewer = viewer(exchange);
        return Mono.fromCallable(() -> {
            Map<String, Object> doc = files.visibleDoc(id, viewer);
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-" + doc.get("version") + ".zip\"")
                    .body(files.packageZip(doc));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/models/{id}/examples/{which}.png")
    Mono<ResponseEntity<byte[]>> example(@PathVariable String id, @PathVariable String which, ServerWebExchange exchange) {
        if (!which.equals("input") && !which.equals("output")) {
            throw ApiProblem.notFound("examples are 'input' and 'output', not '" + which + "'");
        }
        String viewer = viewer(exchange);
        return Mono.fromCallable(() -> ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                .body(files.examplePng(files.visibleDoc(id, viewer), which.equals("input")))).subscribeOn(Schedulers.boundedElastic());
    }

    static String viewer(ServerWebExchange exchange) {
        return Caller.of(exchange).map(Caller::ownerHash).orElse(null);
    }

    private static void putIf(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }
}
