package org.zooscope.gateway.problem;

import java.time.Duration;
import org.springframework.http.HttpStatus;

/**
 * An error a client can act on: becomes an RFC 9457 problem with this status and detail, and a {@code Retry-After}
 * header when the client should come back later (a quota that frees, say).
 */
public class ApiProblem extends RuntimeException {
    private final HttpStatus status;
    private final Duration retryAfter;

    public ApiProblem(HttpStatus status, String detail) {
        this(status, detail, null);
    }

    public ApiProblem(HttpStatus status, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    /** When to try again; null when the answer will not change by waiting. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail);
    }

    /**
     * A wait as {@code Retry-After} gives it, in whole seconds and at least 1: a client that honours it never comes
     * back before the quota can have freed. Messages that name the wait use the same number.
     */
    public static long retryAfterSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** {@code 429}: over a quota that frees by itself after {@code retryAfter}. */
    public static ApiProblem tooManyRequests(String detail, Duration retryAfter) {
        return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, detail, retryAfter);
    }
}
