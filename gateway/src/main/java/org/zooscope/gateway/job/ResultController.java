package org.zooscope.gateway.job;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobState;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.problem.ApiProblem;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Downloads of a job's results, streamed from S3 in 64 KiB buffers (never loaded whole into the gateway), with single
 * byte-range requests ({@code Range: bytes=a-b}, answered 206) so large TIFFs can resume; and {@code bundle.zip},
 * zipped on the fly from the stored results.
 */
@RestController
class ResultController {
    private static final int BUFFER = 64 * 1024;
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    private final JobController jobs;
    private final JobRequests requests;
    private final ObjectStore store;
    private final Executor blocking = Schedulers.boundedElastic()::schedule;

    ResultController(JobController jobs, JobRequests requests, ObjectStore store) {
        this.jobs = jobs;
        this.requests = requests;
        this.store = store;
    }

    @GetMapping("/api/v1/jobs/{id}/results/bundle.zip")
    ResponseEntity<Flux<DataBuffer>> bundle(@PathVariable String id, @RequestParam(required = false) String token,
                                            ServerWebExchange exchange) {
        JobStatus s = jobs.visible(id, token, exchange);
        if (s.state() != JobState.SUCCEEDED || s.results() == null || s.results().isEmpty()) {
            throw new ApiProblem(HttpStatus.CONFLICT, "job '" + id + "' has no results to bundle yet (it is " + s.state() + ")");
        }
        Flux<DataBuffer> zip = Flux.from(DataBufferUtils.outputStreamPublisher(out -> writeZip(id, s.results(), out),
                DefaultDataBufferFactory.sharedInstance, blocking, BUFFER));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-bundle.zip\"").body(zip);
    }

    private void writeZip(String id, Map<String, String> results, OutputStream target) {
        try (ZipOutputStream zip = new ZipOutputStream(target)) {
            for (Map.Entry<String, String> e : results.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                try (InputStream in = store.open(e.getValue())) {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
            var request = requests.find(id);
            if (request.isPresent()) {
                zip.putNextEntry(new ZipEntry("request.json"));
                zip.write(EventJson.toBytes(request.get().request().settings()));
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write(("Zooscope job " + id + "\nprobabilities.tif: float32, one page per z, values 0..1\n"
                    + "segmentation.tif: 8-bit, 255 where the probability reaches the threshold\n"
                    + "models/<id>/probabilities.tif: each model's own map when several ran\n"
                    + "run.json: model ids and versions, settings, timings\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @GetMapping({"/api/v1/jobs/{id}/results/{name}", "/api/v1/jobs/{id}/results/{dir}/{name}",
            "/api/v1/jobs/{id}/results/{dir}/{sub}/{name}"})
    Mono<ResponseEntity<Flux<DataBuffer>>> result(@PathVariable String id, @PathVariable(required = false) String dir,
                                                  @PathVariable(required = false) String sub, @PathVariable String name,
                                                  @RequestParam(required = false) String token,
                                                  @org.springframework.web.bind.annotation.RequestHeader(
                                                          name = HttpHeaders.RANGE, required = false) String range,
                                                  ServerWebExchange exchange) {
        if (OME_ZARR.equals(dir)) {
            // two- and three-segment Zarr keys land here: this mapping is more specific than the catch-all one
            return zarr(id, (sub == null ? "" : sub + "/") + name, token, exchange);
        }
        JobStatus s = jobs.visible(id, token, exchange);
        String result = (dir == null ? "" : dir + "/") + (sub == null ? "" : sub + "/") + name;
        String key = s.results() == null ? null : s.results().get(result);
        if (key == null) {
            throw ApiProblem.notFound("job '" + id + "' has no result '" + result + "'"
                    + (s.state().isFinal() ? "" : " yet (it is " + s.state() + ")"));
        }
        return Mono.fromCallable(() -> {
            long size = store.size(key).orElseThrow(() -> ApiProblem.notFound("result '" + result + "' is gone"));
            ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
            long from = 0;
            long length = size;
            if (range != null) {
                long[] r = parseRange(range, size);
                if (r == null) {
                    return ResponseEntity.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                            .header(HttpHeaders.CONTENT_RANGE, "bytes */" + size).<Flux<DataBuffer>>body(Flux.empty());
                }
                from = r[0];
                length = r[1] - r[0] + 1;
                ok = ResponseEntity.status(HttpStatus.PARTIAL_CONTENT)
                        .header(HttpHeaders.CONTENT_RANGE, "bytes " + r[0] + "-" + r[1] + "/" + size);
            }
            long start = from;
            long count = length;
            Flux<DataBuffer> body = DataBufferUtils.readInputStream(
                    () -> range == null ? store.open(key) : store.open(key, start, count),
                    DefaultDataBufferFactory.sharedInstance, BUFFER).subscribeOn(Schedulers.boundedElastic());
            return ok.contentType(mediaType(name)).contentLength(length)
                    .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-" + result.replace('/', '-') + "\"")
                    .body(body);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * The OME-Zarr of a job's probabilities, object by object ({@code .zattrs}, {@code .zarray}, chunks), so that
     * napari- or neuroglancer-style viewers can open {@code .../results/probabilities.ome.zarr/<structure>} over HTTP.
     */
    private static final String OME_ZARR = "probabilities.ome.zarr";

    @GetMapping("/api/v1/jobs/{id}/results/probabilities.ome.zarr/{*path}")
    Mono<ResponseEntity<Flux<DataBuffer>>> zarr(@PathVariable String id, @PathVariable String path,
                                                @RequestParam(required = false) String token, ServerWebExchange exchange) {
        JobStatus s = jobs.visible(id, token, exchange);
        String prefix = s.results() == null ? null : s.results().get(OME_ZARR);
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (prefix == null || rest.isEmpty() || rest.contains("..")) {
            throw ApiProblem.notFound("job '" + id + "' has no OME-Zarr object '" + rest + "'");
        }
        String key = prefix + rest;
        return Mono.fromCallable(() -> {
            long size = store.size(key).orElseThrow(() -> ApiProblem.notFound("OME-Zarr object '" + rest + "' does not exist"));
            Flux<DataBuffer> body = DataBufferUtils.readInputStream(() -> store.open(key),
                    DefaultDataBufferFactory.sharedInstance, BUFFER).subscribeOn(Schedulers.boundedElastic());
            MediaType type = rest.endsWith(".zattrs") || rest.endsWith(".zarray") || rest.endsWith(".zgroup")
                    ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_OCTET_STREAM;
            return ResponseEntity.ok().contentType(type).contentLength(size)
                    .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*").body(body);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** {first, last} of a single satisfiable range, or null. */
    static long[] parseRange(String header, long size) {
        Matcher m = RANGE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty()) || size == 0) {
            return null;
        }
        try {
            long first;
            long last;
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
            }
            return first <= last && first < size ? new long[] {first, last} : null;
        } catch (NumberFormatException e) {
            return null;
        }
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
