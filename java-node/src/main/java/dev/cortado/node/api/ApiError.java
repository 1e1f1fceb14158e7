package dev.cortado.node.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/** An error answered as {@code {"error": ..., "detail": ...}} with a 4xx status. */
final class ApiError extends RuntimeException {
    final HttpResponseStatus status;
    final String error;

    ApiError(HttpResponseStatus status, String error, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.error = error;
    }

    record Body(String error, String detail) {}
}
