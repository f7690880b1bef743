package org.zooscope.gateway.upload;

import java.time.Duration;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.UploadPlanes;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.job.SliceRenderer;
import org.zooscope.gateway.limits.Expiry;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Look before computing: an upload's shape and voxel size (correctable), and any of its slices as a PNG, for its
 * owner only (to anyone else it does not exist).
 */
@RestController
class UploadPreviewController {
    private final ObjectStore store;
    private final Expiry expiry;

    UploadPreviewController(ObjectStore store, Expiry expiry) {
        this.store = store;
        this.expiry = expiry;
    }

    @GetMapping("/api/v1/uploads/{id}")
    Mono<UploadView> get(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        return Mono.fromCallable(() -> view(owned(id, caller))).subscribeOn(Schedulers.boundedElastic());
    }

    /** The body of {@code PATCH /api/v1/uploads/{id}}: the voxel size the file did not state, or stated wrongly. */
    record Change(UploadView.VoxelSizeView voxelSize) {
    }

    /**
     * Corrects an upload's voxel size (many files carry none, or a wrong one): later jobs measure volumes and scale
     * their OME-Zarr with it.
     */
    @PatchMapping(path = "/api/v1/uploads/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<UploadView> change(@PathVariable String id, @RequestBody Change change, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        if (change == null || change.voxelSize() == null) {
            throw ApiProblem.badRequest("send {\"voxelSize\": {\"x\": 5.9, \"y\": 5.9, \"z\": 40, \"unit\": \"nm\"}}");
        }
        VoxelSize vs = change.voxelSize().toVoxelSize("voxelSize");
        return Mono.fromCallable(() -> {
            UploadedVolume v = owned(id, caller);
            UploadedVolume changed = v.withVoxelSize(vs.x(), vs.y(), vs.z(), vs.unit());
            store.put(StorageKeys.Uploads.volume(id), EventJson.toBytes(changed), "application/json");
            return view(changed);
        }).subscribeOn(Schedulers.boundedElastic());
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
            float[] plane = UploadPlanes.read(store, v, slice);
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
        UploadedVolume v = store.size(StorageKeys.Uploads.volume(id)).isEmpty() ? null
                : EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(id)), UploadedVolume.class);
        if (v == null || !caller.owns(v.ownerHash())) {
            throw ApiProblem.notFound("upload '" + id + "' does not exist");
        }
        expiry.checkUpload(v);
        return v;
    }

    private UploadView view(UploadedVolume v) {
        return UploadView.of(v, expiry.of(v));
    }
}
