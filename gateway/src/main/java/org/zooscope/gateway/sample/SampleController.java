package org.zooscope.gateway.sample;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** {@code GET /api/v1/samples}: the bundled images a user can try without data of their own. Public. */
@RestController
class SampleController {
    private final SampleCatalog samples;

    SampleController(SampleCatalog samples) {
        this.samples = samples;
    }

    @GetMapping("/api/v1/samples")
    Mono<Map<String, List<SampleCatalog.Sample>>> list() {
        return Mono.fromCallable(() -> Map.of("items", samples.list())).subscribeOn(Schedulers.boundedElastic());
    }
}
