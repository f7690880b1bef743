package org.zooscope.gateway.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.gateway.config.GatewayProperties;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.sample.SampleCatalog;
import org.zooscope.gateway.security.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/uploads}: multipart, part {@code file} (several parts = several slices, in order). Each part
 * streams to a temporary file (never whole in memory), then is decoded plane by plane into S3; the temporary files
 * are removed whatever happens. The same path with a JSON body {@code {"sample": name}} makes an upload from a bundled
 * sample.
 */
@RestController
class UploadController {
    private final UploadIngest ingest;
    private final GatewayProperties props;
    private final SecureRandom random;

    private final SampleCatalog samples;

    UploadController(UploadIngest ingest, GatewayProperties props, SecureRandom random, SampleCatalog samples) {
        this.ingest = ingest;
        this.props = props;
        this.random = random;
        this.samples = samples;
    }

    /** The body of {@code POST /api/v1/uploads} as JSON: make an upload from a bundled sample. */
    record FromSample(String sample) {
    }

    @PostMapping(path = "/api/v1/uploads", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<UploadView>> fromSample(@RequestBody FromSample body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        if (body == null || body.sample() == null || body.sample().isBlank()) {
            throw ApiProblem.badRequest("sample is missing: send {\"sample\": \"<name>\"} with a name from GET /api/v1/samples");
        }
        String uploadId = "u-" + HexFormat.of().formatHex(randomBytes(12));
        return Mono.fromCallable(() -> {
            Path file = samples.file(body.sample()).orElseThrow(() -> ApiProblem.notFound("sample '" + body.sample()
                    + "' does not exist (see GET /api/v1/samples)"));
            return view(ingest.ingest(uploadId, caller.ownerHash(), List.of(file), List.of(body.sample())));
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private static ResponseEntity<UploadView> view(UploadedVolume meta) {
        return ResponseEntity.status(HttpStatus.CREATED).body(new UploadView(meta.uploadId(), meta.width(),
                meta.height(), meta.depth(), meta.dataType(), meta.bytes()));
    }

    @PostMapping(path = "/api/v1/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<UploadView>> upload(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        long declared = exchange.getRequest().getHeaders().getContentLength();
        long max = props.upload().maxBytes().toBytes();
        if (declared > max) {
            // refused before a byte is read: the client learns at once, not after sending gigabytes
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "the upload is " + declared + " bytes, more than the "
                    + max + " bytes this server accepts in one upload; send a smaller region");
        }
        String uploadId = "u-" + HexFormat.of().formatHex(randomBytes(12));
        Path dir = Path.of(props.upload().tempDir()).resolve(uploadId);
        return exchange.getMultipartData()
                .flatMapMany(parts -> {
                    List<Part> files = parts.getOrDefault("file", List.of());
                    if (files.isEmpty()) {
                        return Flux.error(ApiProblem.badRequest("no file: send the image as multipart part 'file'"));
                    }
                    if (files.size() > props.upload().maxFiles()) {
                        return Flux.error(new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too many files: " + files.size()
                                + " slices sent, at most " + props.upload().maxFiles() + " are accepted"));
                    }
                    return Flux.fromIterable(files);
                })
                .index()
                .concatMap(indexed -> {
                    if (!(indexed.getT2() instanceof FilePart part)) {
                        return Mono.error(ApiProblem.badRequest("part 'file' must be a file, not a form field"));
                    }
                    String name = safeName(part.filename(), indexed.getT1());
                    // one folder per part keeps the user's file name, which the reader's errors then name
                    Path target = dir.resolve(String.format("%05d", indexed.getT1())).resolve(name);
                    return Mono.fromCallable(() -> Files.createDirectories(target.getParent())).subscribeOn(Schedulers.boundedElastic())
                            .then(part.transferTo(target)).thenReturn(new Stored(target, name));
                })
                .collectList()
                .flatMap(stored -> Mono.fromCallable(() -> store(uploadId, caller, stored)).subscribeOn(Schedulers.boundedElastic()))
                .map(UploadController::view)
                .doFinally(signal -> deleteQuietly(dir));
    }

    private UploadedVolume store(String uploadId, Caller caller, List<Stored> stored) throws ImageReadException {
        for (Stored s : stored) {
            try {
                if (Files.size(s.path()) == 0) {
                    throw ApiProblem.badRequest("file '" + s.name() + "' is empty");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return ingest.ingest(uploadId, caller.ownerHash(), stored.stream().map(Stored::path).toList(),
                stored.stream().map(Stored::name).toList());
    }

    private record Stored(Path path, String name) {
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String safeName(String filename, long index) {
        String base = filename == null ? "" : Path.of(filename.replace('\\', '/')).getFileName() == null ? ""
                : Path.of(filename.replace('\\', '/')).getFileName().toString();
        base = base.replaceAll("[^A-Za-z0-9._-]", "_");
        return base.isBlank() || base.startsWith(".") ? "slice-" + index : base;
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless; the next start's temp dir is the same and gets overwritten
        }
    }

}
