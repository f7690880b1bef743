package org.zooscope.gateway.job;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.Volume;
import org.zooscope.gateway.problem.ApiProblem;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What the viewer shows: PNG slices rendered on the fly from the stored input planes and result TIFFs (browsers cannot
 * show float TIFFs), and the job's shape and settings. Same visibility as the job: owner or share link.
 */
@RestController
class SliceController {
    private static final List<String> LAYERS = List.of("input", "probability", "overlay");

    private final JobController jobs;
    private final JobRequests requests;
    private final JobStructures structures;
    private final SliceImages images;

    SliceController(JobController jobs, JobRequests requests, JobStructures structures, SliceImages images) {
        this.structures = structures;
        this.jobs = jobs;
        this.requests = requests;
        this.images = images;
    }

    /**
     * The input's shape and voxel size, the models and the settings, and — once the job has results — its structures
     * with their colours: what the viewer, its legend and the "run it on your data" call need.
     */
    @GetMapping("/api/v1/jobs/{id}/settings")
    Mono<Map<String, Object>> settings(@PathVariable String id, @RequestParam(required = false) String token,
                                       ServerWebExchange exchange) {
        JobStatus status = jobs.readable(id, token, exchange);
        return Mono.fromCallable(() -> {
            JobRequests.Input in = input(id);
            UploadedVolume v = in.volume();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("width", v.width());
            body.put("height", v.height());
            body.put("depth", v.depth());
            body.put("dtype", v.dataType());
            body.put("fileNames", v.fileNames());
            if (v.voxelSizeX() != null && v.voxelUnit() != null && !"pixel".equals(v.voxelUnit())) {
                body.put("voxelSize", Map.of("x", v.voxelSizeX(), "y", v.voxelSizeY() == null ? v.voxelSizeX() : v.voxelSizeY(),
                        "z", v.voxelSizeZ() == null ? v.voxelSizeX() : v.voxelSizeZ(), "unit", v.voxelUnit()));
            }
            // where the pixels came from: an upload, or a hosted dataset's region (roi) or whole volume (no roi)
            body.put("input", in.request().input());
            body.put("models", in.request().models());
            body.put("enhance", in.request().settings().enhance());
            body.put("augmentation", in.request().settings().augmentation().wire());
            body.put("threshold", in.request().settings().threshold());
            body.put("rescale", in.request().settings().rescale());
            body.put("structures", structures.of(status));
            return body;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * One slice as a PNG: the input in grey, or the result over it ({@code overlay}: each structure's mask in its own
     * colour, alpha-blended; {@code probability}: the probabilities, through a colour map for one structure and in
     * each structure's colour for several). {@code structures} limits the result to some structures (default: all);
     * {@code model} shows one model's own map instead of the ensembles, in its structure's colour.
     */
    @GetMapping(path = "/api/v1/jobs/{id}/slices/{z}.png", produces = MediaType.IMAGE_PNG_VALUE)
    Mono<ResponseEntity<byte[]>> slice(@PathVariable String id, @PathVariable String z,
                                       @RequestParam(defaultValue = "overlay") String layer,
                                       @RequestParam(required = false) String model,
                                       @RequestParam(required = false) List<String> structures,
                                       @RequestParam(required = false) Double threshold,
                                       @RequestParam(defaultValue = "0.5") double opacity,
                                       @RequestParam(required = false) String token, ServerWebExchange exchange) {
        JobStatus status = jobs.readable(id, token, exchange);
        if (!LAYERS.contains(layer)) {
            throw ApiProblem.badRequest("layer must be one of " + String.join(", ", LAYERS) + " but was '" + layer + "'");
        }
        int slice;
        try {
            slice = Integer.parseInt(z);
        } catch (NumberFormatException e) {
            throw ApiProblem.badRequest("slice '" + z + "' is not a number");
        }
        if (threshold != null && !(threshold >= 0 && threshold <= 1)) {
            throw ApiProblem.badRequest("threshold must be between 0 and 1 but was " + threshold);
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw ApiProblem.badRequest("opacity must be between 0 and 1 but was " + opacity);
        }
        if (!layer.equals("input")) {
            SliceImages.requireResults(status);
        }
        return Mono.fromCallable(() -> {
            byte[] png = images.png(status, slice, layer, model, structures, threshold, opacity);
            // a finished job's slices never change: let the browser keep them while the user scrolls back and forth
            return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG)
                    .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePrivate()).body(png);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private JobRequests.Input input(String id) {
        return requests.find(id).orElseThrow(() -> ApiProblem.notFound("job '" + id + "' has no stored input"));
    }

}
