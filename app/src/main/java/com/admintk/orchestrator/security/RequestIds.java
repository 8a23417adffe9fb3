package com.admintk.orchestrator.security;

import io.micronaut.http.HttpRequest;

import java.util.UUID;

/** The request id: the caller's {@code X-Request-Id} when it looks sane, else a fresh one; echoed on the response. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    static final String ATTRIBUTE = "admintk.request-id";

    private RequestIds() {
    }

    public static String of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class).orElseGet(() -> {
            String given = request.getHeaders().get(HEADER);
            String id = given != null && given.matches("[A-Za-z0-9._:-]{8,128}") ? given : UUID.randomUUID().toString();
            request.setAttribute(ATTRIBUTE, id);
            return id;
        });
    }
}
