package org.zooscope.gateway.upload;

import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.PlaneCodec;
import org.zooscope.gateway.job.SliceRenderer;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Look before computing: an upload's shape and voxel size, and any of its slices as a PNG, for its owner only (to
 * anyone else it does not exist).
 */
@RestController
class UploadPreviewController {
    private final ObjectStore store;

    UploadPreviewController(ObjectStore store) {
        this.store = store;
    }

    @GetMapping("/api/v1/uploads/{id}")
    Mono<UploadView> get(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        return Mono.fromCallable(() -> UploadView.of(owned(id, caller))).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping(path = "/api/v1/uploads/{id}/slices/{z}.png", produces = MediaType.IMAGE_PNG_VALUE)
    Mono<ResponseEntity<byte[]>> slice(@PathVariable String id, @PathVariable String z, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        int slice;
        try {
            slice = Integer.parseInt(z);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("slice '" + z + "' is not a number");
        }
        return Mono.fromCallable(() -> {
            UploadedVolume v = owned(id, caller);
            if (slice < 0 || slice >= v.depth()) {
                throw ApiProblem.notFound("slice " + slice + " is outside the upload (0 to " + (v.depth() - 1) + ")");
            }
            float[] plane = PlaneCodec.decode(store.get(v.planeKeys().get(slice)), v.width() * v.height());
            // an upload never changes: the browser may keep its slices
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                    .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePrivate())
                    .body(SliceRenderer.input(plane, v.width(), v.height()));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private UploadedVolume owned(String id, Caller caller) {
        if (!id.matches("u-[0-9a-f]{1,64}")) {
            throw ApiProblem.notFound("upload '" + id + "' does not exist");
        }
        UploadedVolume v = store.size(UploadedVolume.key(id)).isEmpty() ? null
                : EventJson.fromBytes(store.get(UploadedVolume.key(id)), UploadedVolume.class);
        if (v == null || !caller.owns(v.ownerHash())) {
            throw ApiProblem.notFound("upload '" + id + "' does not exist");
        }
        return v;
    }
}
