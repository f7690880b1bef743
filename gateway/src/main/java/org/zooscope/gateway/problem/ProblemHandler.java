package org.zooscope.gateway.problem;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.zooscope.core.failure.Failures;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.ResponseStatusException;
import org.zooscope.core.io.ImageReadException;

/** Every error as {@code application/problem+json} whose detail names the bad input. */
@RestControllerAdvice
class ProblemHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> api(ApiProblem e) {
        ResponseEntity<ProblemDetail> p = problem(e.status(), e.getMessage());
        if (e.retryAfter() == null) {
            return p;
        }
        long seconds = ApiProblem.retryAfterSeconds(e.retryAfter());
        return ResponseEntity.status(p.getStatusCode()).headers(p.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)).body(p.getBody());
    }

    @ExceptionHandler(ImageReadException.class)
    ResponseEntity<ProblemDetail> image(ImageReadException e) {
        HttpStatus status = switch (e.kind()) {
            case UNSUPPORTED_FORMAT, UNSUPPORTED_DATA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            default -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return problem(status, e.getMessage());
    }

    @ExceptionHandler(DataBufferLimitException.class)
    ResponseEntity<ProblemDetail> tooLarge(DataBufferLimitException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "the upload is larger than this server accepts: " + e.getMessage());
    }

    @ExceptionHandler(WebExchangeBindException.class)
    ResponseEntity<ProblemDetail> invalid(WebExchangeBindException e) {
        String detail = e.getFieldErrors().stream().map(f -> f.getField() + " " + f.getDefaultMessage())
                .reduce((a, b) -> a + "; " + b).orElse(e.getReason());
        return problem(HttpStatus.BAD_REQUEST, detail);
    }

    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> input(ServerWebInputException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String why = root == e ? e.getReason() : root.getMessage();
        if (why != null && why.contains("DataBufferLimitException")) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, "the upload is larger than this server accepts");
        }
        return problem(HttpStatus.BAD_REQUEST, "the request body is not valid: " + field(root) + firstLine(why));
    }

    /** The JSON field a mapping error is about ({@code "rescale: "}), so the detail names it; empty when unknown. */
    private static String field(Throwable root) {
        if (!(root instanceof tools.jackson.core.JacksonException j) || j.getPath().isEmpty() || j.getPath().size() > 8) {
            return ""; // a path deeper than any field of the API is a hostile body's: not worth repeating
        }
        return j.getPath().stream().map(r -> r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]")
                .collect(java.util.stream.Collectors.joining(".")).replace(".[", "[") + ": ";
    }

    @ExceptionHandler(ResponseStatusException.class)
    ResponseEntity<ProblemDetail> status(ResponseStatusException e) {
        if (e.getStatusCode().value() == HttpStatus.CONTENT_TOO_LARGE.value() && e.getReason() == null) {
            // the multipart reader's own part-size limit (PayloadTooLargeException) carries no reason of its own
            return problem(HttpStatus.CONTENT_TOO_LARGE, "the upload is larger than this server accepts"
                    + (e.getCause() == null ? "" : ": " + firstLine(e.getCause().getMessage())));
        }
        return problem(HttpStatus.valueOf(e.getStatusCode().value()), e.getReason() == null ? e.getMessage() : e.getReason());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (e.getCause() instanceof DataBufferLimitException d) {
            return tooLarge(d);
        }
        String down = Unreachable.dependency(e);
        if (down != null) {
            // an outage, not a fault of the request and not lost data: say what is down and when to try again
            log.warn("{} is unreachable: {}", down, Failures.reason(e));
            ResponseEntity<ProblemDetail> p = problem(HttpStatus.SERVICE_UNAVAILABLE, down + " is unreachable right now;"
                    + " nothing was lost, try again in " + Unreachable.RETRY_AFTER_SECONDS + " s");
            return ResponseEntity.status(p.getStatusCode()).headers(p.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, Integer.toString(Unreachable.RETRY_AFTER_SECONDS)).body(p.getBody());
        }
        log.error("unexpected error", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e.getClass().getSimpleName());
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(status.getReasonPhrase());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
