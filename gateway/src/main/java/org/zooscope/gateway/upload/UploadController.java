package org.zooscope.gateway.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.config.GatewayProperties;
import org.zooscope.gateway.limits.Expiry;
import org.zooscope.gateway.limits.Quotas;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.sample.SampleCatalog;
import org.zooscope.gateway.security.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/uploads}: multipart, part {@code file} (several parts = several slices, in order). Each part
 * streams straight into S3 as it arrives (no temporary file, never whole in memory), then is decoded plane by plane
 * from S3 by byte ranges; a refused or broken upload leaves nothing behind. The same path with a JSON body {@code {"sample": name}} makes an upload from a bundled
 * sample.
 */
@RestController
class UploadController {
    private final UploadIngest ingest;
    private final ObjectStore store;
    private final GatewayProperties props;
    private final SecureRandom random;
    private final SampleCatalog samples;
    private final Quotas quotas;
    private final Expiry expiry;

    UploadController(UploadIngest ingest, ObjectStore store, GatewayProperties props, SecureRandom random,
                     SampleCatalog samples, Quotas quotas, Expiry expiry) {
        this.quotas = quotas;
        this.expiry = expiry;
        this.ingest = ingest;
        this.store = store;
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
            quotas.checkUpload(caller.ownerHash(), Files.size(file));
            // stored as a multipart upload's file is, and ingested from there alike
            String key = UploadIngest.sourceKey(uploadId, 0, body.sample());
            store.put(key, file, "application/octet-stream");
            try {
                return view(stored(caller, ingest.ingest(uploadId, caller.ownerHash(),
                        List.of(new UploadSession.Stored(key, body.sample(), Files.size(file))), Files.size(file))));
            } catch (ImageReadException | RuntimeException e) {
                store.deletePrefix(StorageKeys.Uploads.prefix(uploadId));
                throw e;
            }
        }).subscribeOn(Schedulers.boundedElastic());
    }

    private ResponseEntity<UploadView> view(UploadedVolume meta) {
        return ResponseEntity.status(HttpStatus.CREATED).body(UploadView.of(meta, expiry.of(meta)));
    }

    /** The upload counts towards its owner's stored bytes at once: what it holds in the store (one listing). */
    private UploadedVolume stored(Caller caller, UploadedVolume meta) {
        long bytes = store.sizes(StorageKeys.Uploads.prefix(meta.uploadId())).values().stream()
                .mapToLong(Long::longValue).sum();
        quotas.uploaded(caller.ownerHash(), meta.uploadId(), bytes, expiry.of(meta));
        return meta;
    }

    @PostMapping(path = "/api/v1/uploads", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<UploadView>> upload(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        long declared = exchange.getRequest().getHeaders().getContentLength();
        long max = props.upload().maxBytes().toBytes();
        if (declared > max) {
            // refused from the declared length: the client learns at once instead of after sending gigabytes
            throw UploadSession.tooLarge(declared + " bytes", max);
        }
        // from the declared length too (planes decoded from a file that cannot be read in place count once stored)
        quotas.checkUpload(caller.ownerHash(), declared);
        String contentType = exchange.getRequest().getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
        String uploadId = "u-" + HexFormat.of().formatHex(randomBytes(12));
        UploadSession session = new UploadSession(uploadId, store, max, props.upload().maxFiles());
        // The raw body is copied off the network buffers as it arrives (they are only valid until the event loop
        // moves on) and parsed as a stream on a worker thread: each file part goes straight into an S3 object
        // (multipart upload, one 8 MiB part in memory), nothing is written to the gateway's disk and no file is ever
        // whole in memory. The input stream's small demand is the back-pressure on a fast client.
        Flux<DataBuffer> body = exchange.getRequest().getBody().map(UploadController::copyOf);
        return Mono.fromCallable(() -> {
                    try (InputStream in = DataBufferUtils.subscriberInputStream(body, 4)) {
                        try {
                            return store(uploadId, caller, session.receive(in, contentType));
                        } catch (IOException | RuntimeException e) {
                            // read the rest (up to a limit) before answering: a keep-alive connection with part of a
                            // body left on it cannot carry the client's next request
                            session.abort();
                            if (!drained(in)) {
                                exchange.getResponse().getHeaders().setConnection("close"); // too much left to read
                            }
                            throw e;
                        }
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .map(this::view)
                .doOnError(e -> discard(session, uploadId))
                .doOnCancel(() -> discard(session, uploadId));
    }

    /** A refused upload's remaining body is read and dropped up to this much; beyond it the connection closes. */
    static final long DRAIN_LIMIT = 16L << 20;

    /**
     * Reads and drops what is left of a refused body, up to {@link #DRAIN_LIMIT}; false when more is left, or when
     * the body cannot be read at all (refused before the parser began reading it): the connection must then close.
     */
    private static boolean drained(InputStream in) {
        try {
            return in.skip(DRAIN_LIMIT) < DRAIN_LIMIT;
        } catch (IOException | IllegalStateException e) {
            return false;
        }
    }

    private static DataBuffer copyOf(DataBuffer b) {
        try {
            byte[] copy = new byte[b.readableByteCount()];
            b.read(copy);
            return DefaultDataBufferFactory.sharedInstance.wrap(copy);
        } finally {
            DataBufferUtils.release(b);
        }
    }

    private void discard(UploadSession session, String uploadId) {
        Schedulers.boundedElastic().schedule(() -> {
            session.abort();
            store.deletePrefix(StorageKeys.Uploads.prefix(uploadId));
        });
    }

    private UploadedVolume store(String uploadId, Caller caller, List<UploadSession.Stored> stored)
            throws ImageReadException {
        return stored(caller, ingest.ingest(uploadId, caller.ownerHash(), stored,
                stored.stream().mapToLong(UploadSession.Stored::bytes).sum()));
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


}
