package org.zooscope.gateway.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.indexer.search.ModelSearch;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The model zoo: search with facets, and one model's card. Public: no token needed to browse. */
@RestController
class ModelController {
    private final ModelSearch search;

    ModelController(ModelSearch search) {
        this.search = search;
    }

    @GetMapping("/api/v1/models")
    Mono<Map<String, Object>> search(@RequestParam(required = false) String q,
                                     @RequestParam(required = false) String modality,
                                     @RequestParam(required = false) String component,
                                     @RequestParam(required = false) String dims,
                                     @RequestParam(required = false) String organism,
                                     @RequestParam(required = false) Integer frames,
                                     @RequestParam(required = false) String license,
                                     @RequestParam(required = false) Double minVoxelNm,
                                     @RequestParam(required = false) Double maxVoxelNm,
                                     @RequestParam(defaultValue = "0") int from,
                                     @RequestParam(defaultValue = "50") int size) {
        Map<String, String> filters = new LinkedHashMap<>();
        putIf(filters, "modality", modality);
        putIf(filters, "component", component);
        putIf(filters, "dims", dims);
        putIf(filters, "organism", organism);
        putIf(filters, "frames", frames == null ? null : frames.toString());
        putIf(filters, "license", license);
        ModelSearch.Query query;
        try {
            query = new ModelSearch.Query(q, filters, minVoxelNm, maxVoxelNm, from, size);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        return Mono.fromCallable(() -> {
            ModelSearch.Result r = search.search(query);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", r.items());
            body.put("total", r.total());
            body.put("facets", r.facets());
            return body;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/models/{id}")
    Mono<Map<String, Object>> card(@PathVariable String id) {
        return Mono.fromCallable(() -> {
            Map<String, Object> card = new LinkedHashMap<>(search.get(id)
                    .orElseThrow(() -> ApiProblem.notFound("model '" + id + "' is not in the zoo")));
            card.remove("packageKey");
            return card;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private static void putIf(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) {
            m.put(k, v);
        }
    }
}
