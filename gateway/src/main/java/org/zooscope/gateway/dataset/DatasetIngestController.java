package org.zooscope.gateway.dataset;

import java.net.URI;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.store.StorageKeys;
import org.zooscope.core.dataset.DatasetCard;
import org.zooscope.core.dataset.DatasetKeys;
import org.zooscope.core.dataset.UploadedSlices;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import org.zooscope.gateway.security.Hashes;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A curator makes one of their uploads a hosted dataset: {@code POST /api/v1/datasets} checks the request and answers
 * {@code 202} at once, the ingest runs in the background ({@link DatasetIngests}), and
 * {@code GET /api/v1/datasets/{id}/ingest} follows it.
 */
@RestController
class DatasetIngestController {
    private final DatasetIngests ingests;
    private final ObjectStore store;
    private final Set<String> curatorHashes;

    DatasetIngestController(DatasetIngests ingests, ObjectStore store, DatasetProperties props) {
        this.ingests = ingests;
        this.store = store;
        this.curatorHashes = props.curatorTokens().stream().map(Hashes::sha256).collect(Collectors.toUnmodifiableSet());
    }

    /** The request body; {@code id} defaults to one made from the name, {@code voxelSize} to the upload's. */
    record IngestRequest(String uploadId, String id, String name, String description, String modality,
                         String organism, String licence, String citation, String source, Size voxelSize) {
        record Size(Double x, Double y, Double z, String unit) {
        }
    }

    @PostMapping("/api/v1/datasets")
    Mono<ResponseEntity<DatasetIngests.Status>> ingest(@RequestBody IngestRequest body, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        if (curatorHashes.stream().noneMatch(caller::owns)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "ingesting a hosted dataset is a curator's action; this token is"
                    + " not a curator's");
        }
        if (body.uploadId() == null || body.uploadId().isBlank()) {
            throw ApiProblem.badRequest("uploadId is missing: upload the volume first (POST /api/v1/uploads) and name"
                    + " its id here");
        }
        if (body.name() == null || body.name().isBlank()) {
            throw ApiProblem.badRequest("name is missing: give the dataset a name people will recognise");
        }
        String id = body.id() == null || body.id().isBlank() ? idFrom(body.name()) : body.id();
        if (!DatasetKeys.isValidId(id)) {
            throw ApiProblem.badRequest(body.id() == null || body.id().isBlank()
                    ? "no id can be made from the name '" + body.name() + "': give an 'id' of lower-case letters,"
                    + " digits and dashes"
                    : "id '" + id + "' must be 1-63 lower-case letters, digits or dashes, starting with a letter or digit");
        }
        VoxelSize voxelSize = voxelSize(body.voxelSize());
        return Mono.fromCallable(() -> {
            UploadedVolume upload = upload(body.uploadId(), caller);
            String source = body.source() != null && !body.source().isBlank() ? body.source()
                    : "ingested from the upload of " + String.join(", ", upload.fileNames());
            DatasetCard draft = new DatasetCard(id, body.name().strip(), body.description(), body.modality(),
                    body.organism(), 0, 0, 0, null, null, 0, body.licence(), body.citation(), source,
                    caller.ownerHash(), null);
            DatasetIngests.Status status = ingests.start(draft, new UploadedSlices(store, upload, voxelSize));
            return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/v1/datasets/" + id + "/ingest"))
                    .body(status);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @GetMapping("/api/v1/datasets/{id}/ingest")
    Mono<DatasetIngests.Status> status(@PathVariable String id) {
        return Mono.fromCallable(() -> ingests.status(id).orElseThrow(() ->
                ApiProblem.notFound("no ingest of a dataset '" + id + "' is known"))).subscribeOn(Schedulers.boundedElastic());
    }

    /** The caller's own upload, or a 422 problem (someone else's upload reads as missing). */
    private UploadedVolume upload(String uploadId, Caller caller) {
        if (!uploadId.matches("u-[0-9a-f]{1,64}")) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "there is no upload '" + uploadId + "'");
        }
        UploadedVolume v;
        try {
            v = EventJson.fromBytes(store.get(StorageKeys.Uploads.volume(uploadId)), UploadedVolume.class);
        } catch (ObjectStore.NoSuchObjectException e) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "there is no upload '" + uploadId + "'");
        }
        if (!caller.owns(v.ownerHash())) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "there is no upload '" + uploadId + "'");
        }
        return v;
    }

    private static VoxelSize voxelSize(IngestRequest.Size s) {
        if (s == null) {
            return null;
        }
        if (s.x() == null || s.y() == null || s.z() == null || s.unit() == null) {
            throw ApiProblem.badRequest("voxelSize needs x, y, z and unit (e.g. {\"x\": 5.9, \"y\": 5.9, \"z\": 40,"
                    + " \"unit\": \"nm\"})");
        }
        VoxelSize vs;
        try {
            vs = new VoxelSize(s.x(), s.y(), s.z(), s.unit());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest("voxelSize: " + e.getMessage());
        }
        if (!vs.isKnown()) {
            throw ApiProblem.badRequest("voxelSize unit '" + s.unit() + "' is not a length unit (nm, µm, ...)");
        }
        return vs;
    }

    /** {@code "SBEM Mouse Cortex #2"} → {@code sbem-mouse-cortex-2}. */
    static String idFrom(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String id = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (id.length() > 63) {
            id = id.substring(0, 63).replaceAll("-+$", "");
        }
        return id;
    }
}
