package com.admintk.orchestrator.error;

import io.micronaut.http.HttpStatus;

import java.util.Map;

/**
 * A domain failure with its HTTP status and a stable UPPER_SNAKE code clients can switch on. Services throw it;
 * {@link ApiExceptionHandler} renders it.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> details;
    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String code, String message, Map<String, Object> details) {
        this(status, code, message, details, Map.of());
    }

    /** {@code headers}: answered with the error, e.g. {@code Retry-After} on a 429. */
    public ApiException(HttpStatus status, String code, String message, Map<String, Object> details,
                        Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? Map.of() : details;
        this.headers = headers == null ? Map.of() : headers;
    }

    public ApiException(HttpStatus status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", what + " not found");
    }

    public static ApiException badRequest(String code, String message, Map<String, Object> details) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, message, details);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
