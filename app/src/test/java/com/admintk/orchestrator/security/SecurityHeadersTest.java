package com.admintk.orchestrator.security;

import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class SecurityHeadersTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = TestApp.start("api", Map.of("micronaut.server.cors.configurations.web.allowed-origins", "https://dash.admin-tk.test"));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void apiResponsesCarryTheSecurityHeadersEvenOnErrors() {
        HttpResponse<Map<String, Object>> response = app.exchange(HttpRequest.GET("/api/v1/auth/me"));
        assertEquals(401, response.code());
        assertEquals("nosniff", response.getHeaders().get("X-Content-Type-Options"));
        assertEquals("DENY", response.getHeaders().get("X-Frame-Options"));
        assertNotNull(response.getHeaders().get("Content-Security-Policy"));
        assertNotNull(response.getHeaders().get("X-Request-Id"));
    }

    @Test
    void onlyAllowListedOriginsPassTheCorsPreflight() {
        HttpResponse<Map<String, Object>> allowed = app.exchange(HttpRequest.create(HttpMethod.OPTIONS, "/api/v1/orders")
                .header(HttpHeaders.ORIGIN, "https://dash.admin-tk.test")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type,idempotency-key"));
        assertEquals("https://dash.admin-tk.test", allowed.getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN),
                () -> allowed.code() + " " + allowed.getHeaders().asMap() + " " + allowed.getBody().orElse(null));

        HttpResponse<Map<String, Object>> refused = app.exchange(HttpRequest.create(HttpMethod.OPTIONS, "/api/v1/orders")
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,content-type,idempotency-key"));
        assertNotEquals("https://evil.example", refused.getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
    }
}
