package org.zooscope.gateway.modelupload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.zooscope.core.modelpkg.check.ModelPackageValidator;
import org.zooscope.core.modelpkg.check.Reproducibility;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.gateway.security.Caller;
import org.zooscope.gateway.security.Hashes;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code POST /api/v1/models}: anyone with an API token uploads a bioimage.io model package (multipart part
 * {@code package}, a zip). It is validated by a test run; a valid package is stored and appears in the zoo, private to
 * its owner ({@code 201} with its card), an invalid one is answered {@code 422} with every problem found and nothing
 * is stored. {@code POST /api/v1/models/{id}/publish}: a curator makes a model visible to everyone.
 */
@RestController
class ModelUploadController {
    private static final Logger log = LoggerFactory.getLogger(ModelUploadController.class);
    private static final String SAFE_VERSION = "[A-Za-z0-9][A-Za-z0-9._+-]{0,31}";

    private final ModelPackageValidator validator;
    private final ModelRegistry registry;
    private final ModelZooProperties props;
    private final Set<String> curatorHashes;
    private final SecureRandom random;

    ModelUploadController(ModelRegistry registry, ModelZooProperties props, SecureRandom random) {
        this.validator = new ModelPackageValidator(props.limits().toPackageLimits(), new OrtModelRunner(), Reproducibility.BIOIMAGEIO);
        this.registry = registry;
        this.props = props;
        this.curatorHashes = props.curatorTokens().stream().map(Hashes::sha256).collect(Collectors.toUnmodifiableSet());
        this.random = random;
    }

    @PostMapping(path = "/api/v1/models", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<ResponseEntity<Object>> upload(ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        byte[] n = new byte[12];
        random.nextBytes(n);
        Path file = Path.of(props.tempDir()).resolve("p-" + HexFormat.of().formatHex(n) + ".zip");
        return exchange.getMultipartData()
                .flatMap(parts -> {
                    List<Part> pkg = parts.getOrDefault("package", List.of());
                    if (pkg.size() != 1 || !(pkg.get(0) instanceof FilePart part)) {
                        return Mono.error(ApiProblem.badRequest("send the model package as one multipart file part named 'package'"));
                    }
                    return Mono.fromCallable(() -> Files.createDirectories(file.getParent()))
                            .subscribeOn(Schedulers.boundedElastic()).then(part.transferTo(file));
                })
                .then(Mono.fromCallable(() -> validateAndStore(file, caller)).subscribeOn(Schedulers.boundedElastic()))
                .doFinally(signal -> {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        log.warn("cannot delete {}: {}", file, e.getMessage());
                    }
                });
    }

    private ResponseEntity<Object> validateAndStore(Path file, Caller caller) throws Exception {
        ModelPackageValidator.Result result = validator.validate(file);
        List<String> problems = new ArrayList<>(result.problems());
        result.valid().ifPresent(v -> {
            if (ModelIds.of(v.description().id()).isEmpty()) {
                problems.add("the model has no usable id: give it an 'id' (or a 'name') with letters or digits");
            }
            if (!v.description().version().matches(SAFE_VERSION)) {
                problems.add("version '" + v.description().version() + "' must be 1 to 32 letters, digits, '.', '_', '+' or '-'");
            }
        });
        if (!problems.isEmpty()) {
            log.info("rejected a model package from {}: {}", caller.ownerHash().substring(0, 8), problems);
            // an RFC 9457 problem with one extension member, written as a map so that it does not depend on how the
            // JSON codec flattens ProblemDetail properties
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("type", "about:blank");
            p.put("title", "Invalid model package");
            p.put("status", HttpStatus.UNPROCESSABLE_CONTENT.value());
            p.put("detail", problems.size() + " problem(s) in the model package: " + String.join("; ", problems));
            p.put("instance", "/api/v1/models");
            p.put("problems", problems);
            return ResponseEntity.status(HttpStatus.UNPROCESSABLE_CONTENT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
        }
        Map<String, Object> card = registry.register(result.valid().orElseThrow(), caller.ownerHash());
        return ResponseEntity.status(HttpStatus.CREATED).body(card);
    }

    @PostMapping("/api/v1/models/{id}/publish")
    Mono<Map<String, Object>> publish(@PathVariable String id, ServerWebExchange exchange) {
        Caller caller = Caller.of(exchange).orElseThrow();
        if (curatorHashes.stream().noneMatch(caller::owns)) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "publishing a model is a curator's action; this token is not a curator's");
        }
        return Mono.fromCallable(() -> registry.publish(id)).subscribeOn(Schedulers.boundedElastic());
    }
}
