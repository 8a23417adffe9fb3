package com.admintk.orchestrator.error;

import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorShapeTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start("api");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void anUnknownRouteIs404InTheErrorShape() {
        assertErrorShape(app.exchange(HttpRequest.GET("/api/v1/no-such-thing")), 404, "NOT_FOUND");
    }

    @Test
    void anUnauthenticatedApiCallIs401InTheErrorShape() {
        assertErrorShape(app.exchange(HttpRequest.GET("/api/v1/auth/me")), 401, "UNAUTHORIZED");
    }

    @Test
    void aWrongMethodIs405InTheErrorShape() {
        assertErrorShape(app.exchange(HttpRequest.DELETE("/api/v1/auth/login")), 405, "METHOD_NOT_ALLOWED");
    }

    @Test
    void aWrongContentTypeIs415InTheErrorShape() {
        assertErrorShape(app.exchange(HttpRequest.POST("/api/v1/auth/login", "email=a")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void malformedJsonIs400InTheErrorShape() {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.POST("/api/v1/auth/login", "{\"email\": ")
                .contentType(MediaType.APPLICATION_JSON_TYPE));
        assertEquals(400, response.code());
        assertNotNull(TestApp.error(response).get("code"));
    }

    @Test
    void anErrorBodyNamesTheTraceOfItsRequest() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.GET("/api/v1/auth/me")
                .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01"));
        assertErrorShape(response, 401, "UNAUTHORIZED");
        // The caller's W3C trace context is continued, so the caller can find this request's spans and log lines.
        assertEquals(trace, ((Map<?, ?>) TestApp.error(response).get("details")).get("traceId"));

        HttpResponse<Map<String, Object>> untraced = app.exchange(HttpRequest.GET("/api/v1/no-such-thing"));
        Object own = ((Map<?, ?>) TestApp.error(untraced).get("details")).get("traceId");
        assertTrue(own instanceof String id && id.matches("[0-9a-f]{32}") && !id.equals(trace), String.valueOf(own));
    }

    static void assertErrorShape(HttpResponse<Map<String, Object>> response, int status, String code) {
        assertEquals(status, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        Map<String, Object> body = response.getBody().orElseThrow();
        assertEquals(1, body.size(), "only the error member: " + body);
        Map<String, Object> error = TestApp.error(response);
        assertEquals(code, error.get("code"));
        assertTrue(error.get("message") instanceof String message && !message.isBlank());
        assertTrue(error.get("details") instanceof Map, "details is an object: " + error);
        assertFalse(String.valueOf(body).contains("Exception"), "no exception names leak: " + body);
    }
}
