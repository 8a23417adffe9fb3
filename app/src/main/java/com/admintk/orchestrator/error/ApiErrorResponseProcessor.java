package com.admintk.orchestrator.error;

import io.micronaut.context.annotation.Primary;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders every error Micronaut produces itself (unknown route, 405, 415, malformed JSON, validation, security
 * rejections, unhandled exceptions) in the API's one error shape. A 5xx never carries the exception's text.
 */
@Singleton
@Primary
public class ApiErrorResponseProcessor implements ErrorResponseProcessor<ApiError> {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorResponseProcessor.class);

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            // A dependency outage wrapped in something else (a filter, a cache loader) is still a 503, not a bug.
            ApiException outage = context.getRootCause().flatMap(DependencyOutages::of).orElse(null);
            if (outage != null) {
                LOG.warn("{} {}: {}", context.getRequest().getMethod(), context.getRequest().getPath(), outage.code());
                outage.headers().forEach(response::header);
                return response.status(outage.status()).contentType(MediaType.APPLICATION_JSON_TYPE)
                        .body(ApiError.of(outage.code(), outage.getMessage(), outage.details()));
            }
        }
        ApiError body = status.getCode() >= 500 ? serverError(context, status) : clientError(context, status);
        return response.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    private static ApiError serverError(ErrorContext context, HttpStatus status) {
        context.getRootCause().ifPresent(cause -> LOG.error("{} {} failed", context.getRequest().getMethod(),
                context.getRequest().getPath(), cause));
        String message = status == HttpStatus.SERVICE_UNAVAILABLE ? "Service temporarily unavailable" : "Internal error";
        return ApiError.of(codeFor(status), message, Map.of());
    }

    private static ApiError clientError(ErrorContext context, HttpStatus status) {
        Throwable cause = context.getRootCause().orElse(null);
        if (cause instanceof ConstraintViolationException violations) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (ConstraintViolation<?> violation : violations.getConstraintViolations()) {
                fields.put(fieldName(violation.getPropertyPath().toString()), violation.getMessage());
            }
            return ApiError.of("VALIDATION_FAILED", "Request validation failed", Map.of("fields", fields));
        }
        if (status == HttpStatus.BAD_REQUEST && isMalformedBody(cause)) {
            return ApiError.of("MALFORMED_JSON", "The request body is not valid JSON for this endpoint",
                    Map.of("reason", firstLine(cause.getMessage())));
        }
        if (cause instanceof ConversionErrorException conversion) {
            return ApiError.of("INVALID_PARAMETER", "Parameter '" + conversion.getArgument().getName() + "' has the wrong type",
                    Map.of("field", conversion.getArgument().getName()));
        }
        String message = messageOf(context.getErrors(), status);
        return ApiError.of(codeFor(status), message, Map.of());
    }

    private static boolean isMalformedBody(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.contains("Json") || name.contains("jackson") || name.contains("Serde")) {
                return true;
            }
        }
        return false;
    }

    /** Validation paths look like {@code checkout.body.serverName}: keep the field part only. */
    private static String fieldName(String path) {
        String[] parts = path.split("\\.");
        return parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length)) : parts[parts.length - 1];
    }

    private static String messageOf(List<Error> errors, HttpStatus status) {
        if (status == HttpStatus.NOT_FOUND) {
            return "Not found";
        }
        if (status == HttpStatus.UNAUTHORIZED) {
            return "Authentication required";
        }
        if (status == HttpStatus.FORBIDDEN) {
            return "Forbidden";
        }
        return errors.isEmpty() ? status.getReason() : firstLine(errors.get(0).getMessage());
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        String line = text.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    static String codeFor(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "BAD_REQUEST";
            case UNAUTHORIZED -> "UNAUTHORIZED";
            case FORBIDDEN -> "FORBIDDEN";
            case NOT_FOUND -> "NOT_FOUND";
            case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED";
            case NOT_ACCEPTABLE -> "NOT_ACCEPTABLE";
            case CONFLICT -> "CONFLICT";
            case REQUEST_ENTITY_TOO_LARGE -> "PAYLOAD_TOO_LARGE";
            case UNSUPPORTED_MEDIA_TYPE -> "UNSUPPORTED_MEDIA_TYPE";
            case UNPROCESSABLE_ENTITY -> "UNPROCESSABLE_ENTITY";
            case TOO_MANY_REQUESTS -> "RATE_LIMITED";
            case SERVICE_UNAVAILABLE -> "SERVICE_UNAVAILABLE";
            default -> status.getCode() >= 500 ? "INTERNAL_ERROR" : "REQUEST_FAILED";
        };
    }
}
