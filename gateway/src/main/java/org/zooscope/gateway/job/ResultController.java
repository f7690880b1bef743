package org.zooscope.gateway.job;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private final ResultFiles files;
    private final SliceImages images;
    private final Executor blocking = Schedulers.boundedElastic()::schedule;

    ResultController(JobController jobs, JobRequests requests, ObjectStore store, ResultFiles files, SliceImages images) {
        this.jobs = jobs;
        this.requests = requests;
        this.store = store;
        this.files = files;
        this.images = images;
    }

    /** What a job's results are, with sizes: the page lists them as downloads. */
    @GetMapping("/api/v1/jobs/{id}/results")
    Mono<Map<String, Object>> list(@PathVariable String id, @RequestParam(required = false) String token,
                                   ServerWebExchange exchange) {
        JobStatus s = jobs.readable(id, token, exchange);
        return Mono.fromCallable(() -> {
            List<Map<String, Object>> items = new ArrayList<>();
            Map<String, long[]> folders = new LinkedHashMap<>();
            for (ResultFiles.File f : files.files(s)) {
                int slash = f.name().indexOf('/');
                String top = slash < 0 ? f.name() : f.name().substring(0, slash);
                if (f.isRendered()) {
                    items.add(item(id, f.name(), null, null));
                } else if (s.results().containsKey(f.name())) {
                    items.add(item(id, f.name(), f.bytes(), null));
                } else {
                    long[] acc = folders.computeIfAbsent(top, k -> new long[2]);
                    acc[0] += f.bytes();
                    acc[1]++;
                }
            }
            folders.forEach((name, acc) -> items.add(item(id, name, acc[0], acc[1])));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("items", items);
            body.put("bundle", "/api/v1/jobs/" + id + "/results/bundle.zip");
            return body;
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** A result to download; {@code bytes} is null for one rendered when it is asked for (its size is not known yet). */
    private static Map<String, Object> item(String id, String name, Long bytes, Long objects) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("url", "/api/v1/jobs/" + id + "/results/" + name);
        m.put("bytes", bytes);
        if (objects != null) {
            m.put("objects", objects);
        }
        return m;
    }

    /**
     * Every result in one zip, streamed from the store: the stacks, per-model maps, overlays, measurements, the
     * OME-Zarr folder object by object, the run record and the request. The files are listed before the response
     * starts, so a result that is not stored is a clear error, not a download that breaks off.
     */
    @GetMapping("/api/v1/jobs/{id}/results/bundle.zip")
    Mono<ResponseEntity<Flux<DataBuffer>>> bundle(@PathVariable String id, @RequestParam(required = false) String token,
                                                  ServerWebExchange exchange) {
        JobStatus s = jobs.readable(id, token, exchange);
        if (s.state() != JobState.SUCCEEDED || s.results() == null || s.results().isEmpty()) {
            throw new ApiProblem(HttpStatus.CONFLICT, "job '" + id + "' has no results to bundle yet (it is " + s.state() + ")");
        }
        return Mono.fromCallable(() -> {
            List<ResultFiles.File> entries = files.files(s);
            byte[] request = requests.find(id).map(r -> EventJson.toBytes(r.request().settings())).orElse(null);
            Flux<DataBuffer> zip = Flux.from(DataBufferUtils.outputStreamPublisher(out -> writeZip(s, entries, request, out),
                    DefaultDataBufferFactory.sharedInstance, blocking, BUFFER));
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/zip"))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-bundle.zip\"").body(zip);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private void writeZip(JobStatus status, List<ResultFiles.File> entries, byte[] request, OutputStream target) {
        String id = status.jobId();
        JobRequests.Input input = null; // read once, for the first overlay rendered into the zip
        try (ZipOutputStream zip = new ZipOutputStream(target)) {
            zip.setLevel(1); // float maps compress little; speed matters more than the last few percent
            for (ResultFiles.File f : entries) {
                zip.putNextEntry(new ZipEntry(f.name()));
                if (f.isRendered()) {
                    input = input == null ? images.input(id) : input;
                    zip.write(images.overlay(status, input, SliceImages.overlaySlice(f.name())));
                } else {
                    try (InputStream in = store.open(f.key())) {
                        in.transferTo(zip);
                    }
                }
                zip.closeEntry();
            }
            if (request != null) {
                zip.putNextEntry(new ZipEntry("request.json"));
                zip.write(request);
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("README.txt"));
            zip.write(README.replace("{id}", id).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final String README = """
            Zooscope job {id}
            probabilities.tif                 float32, one page per z, values 0..1 (the first structure's ensemble)
            <structure>/probabilities.tif     each structure's ensemble of its models
            segmentation.tif                  8-bit, 255 where the first structure's probability reaches the threshold
            <structure>/measurements.csv      one row per object (3D connected component of the thresholded map)
            models/<id>/probabilities.tif     each model's own map, when several ran
            models/<id>/uncertainty.tif       variance over the test-time-augmentation variants, when augmentation was on
            enhanced-input.tif                the input as the models saw it, when enhancement was on
            overlay/<z>.png, thumbnail.png    each slice's overlay (each structure's mask in its colour), the middle one small
            probabilities.ome.zarr/           OME-NGFF 0.4 (Zarr v2), one multiscale image per structure (napari, zarr-python)
            run.json                          model ids and versions, settings, timings, measurement summaries
            request.json                      the settings as requested
            """;

    @GetMapping({"/api/v1/jobs/{id}/results/{name}", "/api/v1/jobs/{id}/results/{dir}/{name}",
            "/api/v1/jobs/{id}/results/{dir}/{sub}/{name}"})
    Mono<ResponseEntity<Flux<DataBuffer>>> result(@PathVariable String id, @PathVariable(required = false) String dir,
                                                  @PathVariable(required = false) String sub, @PathVariable String name,
                                                  @RequestParam(required = false) String token,
                                                  @org.springframework.web.bind.annotation.RequestHeader(
                                                          name = HttpHeaders.RANGE, required = false) String range,
                                                  ServerWebExchange exchange) {
        if (dir == null && OME_ZARR.equals(name)) {
            return zarrIndex(id, token, exchange);
        }
        if (OME_ZARR.equals(dir)) {
            // two- and three-segment Zarr keys land here: this mapping is more specific than the catch-all one
            return zarr(id, (sub == null ? "" : sub + "/") + name, token, exchange);
        }
        JobStatus s = jobs.readable(id, token, exchange);
        String result = (dir == null ? "" : dir + "/") + (sub == null ? "" : sub + "/") + name;
        String key = s.results() == null ? null : s.results().get(result);
        if (key == null && SliceImages.overlaySlice(result) >= 0) {
            return Mono.fromCallable(() -> {
                JobRequests.Input in = images.input(id);
                if (!images.overlayNames(s, in).contains(result)) {
                    throw ApiProblem.notFound("job '" + id + "' has no result '" + result + "'"
                            + (s.state().isFinal() ? "" : " yet (it is " + s.state() + ")"));
                }
                byte[] png = images.overlay(s, in, SliceImages.overlaySlice(result));
                return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).contentLength(png.length)
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + id + "-" + result.replace('/', '-') + "\"")
                        .body(Flux.just((DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(png)));
            }).subscribeOn(Schedulers.boundedElastic());
        }
        if (key == null) {
            throw ApiProblem.notFound("job '" + id + "' has no result '" + result + "'"
                    + (s.state().isFinal() ? "" : " yet (it is " + s.state() + ")"));
        }
        return Mono.fromCallable(() -> {
            long size = store.size(key).orElseThrow(() -> new ApiProblem(HttpStatus.GONE,
                    "result '" + result + "' of job '" + id + "' is no longer stored"));
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
    private static final String OME_ZARR = ResultFiles.OME_ZARR;

    /** The Zarr folder itself: what it holds and how to open it (a folder cannot be downloaded as one file). */
    private Mono<ResponseEntity<Flux<DataBuffer>>> zarrIndex(String id, String token, ServerWebExchange exchange) {
        JobStatus s = jobs.readable(id, token, exchange);
        String prefix = s.results() == null ? null : s.results().get(OME_ZARR);
        if (prefix == null) {
            throw ApiProblem.notFound("job '" + id + "' has no result '" + OME_ZARR + "'"
                    + (s.state().isFinal() ? "" : " yet (it is " + s.state() + ")"));
        }
        return Mono.fromCallable(() -> {
            String base = "/api/v1/jobs/" + id + "/results/" + OME_ZARR;
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("format", "OME-Zarr: OME-NGFF 0.4 in Zarr v2, one multiscale image per structure");
            List<String> images = new ArrayList<>();
            List<Map<String, Object>> objects = new ArrayList<>();
            files.folder(prefix).forEach((path, bytes) -> {
                if (path.endsWith("/.zattrs") && path.indexOf('/') == path.lastIndexOf('/')) {
                    images.add(path.substring(0, path.indexOf('/')));
                }
                objects.add(Map.of("path", path, "url", base + "/" + path, "bytes", bytes));
            });
            Map<String, String> imageUrls = new LinkedHashMap<>();
            images.forEach(i -> imageUrls.put(i, base + "/" + i));
            body.put("images", imageUrls);
            body.put("open", "napari: open the image URL with the napari-ome-zarr plugin; Python: "
                    + "zarr.open(FSStore('<image URL>'))['0']; or download bundle.zip, which holds the whole folder");
            body.put("bundle", "/api/v1/jobs/" + id + "/results/bundle.zip");
            body.put("objects", objects);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                    .body(Flux.just((DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(EventJson.toBytes(body))));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/jobs/{id}/results/probabilities.ome.zarr/{*path}")
    Mono<ResponseEntity<Flux<DataBuffer>>> zarr(@PathVariable String id, @PathVariable String path,
                                                @RequestParam(required = false) String token, ServerWebExchange exchange) {
        JobStatus s = jobs.readable(id, token, exchange);
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
