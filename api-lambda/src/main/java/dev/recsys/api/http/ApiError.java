package dev.recsys.api.http;

import dev.recsys.api.core.RequestRejected;

/**
 * A typed client error: the status, a stable machine-readable code and a human message.
 * Thrown anywhere in request handling and turned into a JSON 4xx at the edge, never a 5xx.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message, null, false, false);
        if (status < 400 || status > 499) {
            throw new IllegalArgumentException("client errors only: " + status);
        }
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The core's rejection as HTTP: 404 for what does not exist, 400 for the rest. */
    public static ApiError of(RequestRejected r) {
        return new ApiError(r.kind() == RequestRejected.Kind.NOT_FOUND ? 404 : 400, r.code(), r.getMessage());
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message);
    }

    public static ApiError methodNotAllowed(String message) {
        return new ApiError(405, "method_not_allowed", message);
    }

    public static ApiError tooLarge(String message) {
        return new ApiError(413, "payload_too_large", message);
    }

    public static ApiError unsupportedMediaType(String message) {
        return new ApiError(415, "unsupported_media_type", message);
    }

    public static ApiError tooManyRequests(String message) {
        return new ApiError(429, "too_many_requests", message);
    }
}
