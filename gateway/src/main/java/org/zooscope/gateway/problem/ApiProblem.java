package org.zooscope.gateway.problem;

import org.springframework.http.HttpStatus;

/** An error a client can act on: becomes an RFC 9457 problem with this status and detail. */
public class ApiProblem extends RuntimeException {
    private final HttpStatus status;

    public ApiProblem(HttpStatus status, String detail) {
        super(detail);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(HttpStatus.BAD_REQUEST, detail);
    }
}
