package dev.cortado.node.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * An error answered as {@code {"error": ..., "detail": ...}} with a 4xx status, and a {@code Retry-After} header when
 * {@code retryAfterSeconds} is positive (a refusal the client should simply repeat later).
 */
final class ApiError extends RuntimeException {
    final HttpResponseStatus status;
    final String error;
    final int retryAfterSeconds;

    ApiError(HttpResponseStatus status, String error, String detail) {
        this(status, error, detail, 0);
    }

    ApiError(HttpResponseStatus status, String error, String detail, int retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    record Body(String error, String detail) {}
}
