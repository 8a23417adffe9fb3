package com.admintk.orchestrator.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one error shape of the API: {@code {"error":{"message","code","details"}}}. */
@Serdeable
public record ApiError(Body error) {

    /** {@code details} is always present, if only as {@code {}}, so clients need no null checks. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Body(String message, String code, Map<String, Object> details) {
    }

    public static ApiError of(String code, String message, Map<String, Object> details) {
        return new ApiError(new Body(message, code, details == null ? Map.of() : details));
    }

    /** The same error with one more detail, for example the request's {@code traceId}. */
    public ApiError withDetail(String key, Object value) {
        Map<String, Object> details = new LinkedHashMap<>(error.details() == null ? Map.of() : error.details());
        details.put(key, value);
        return new ApiError(new Body(error.message(), error.code(), details));
    }
}
