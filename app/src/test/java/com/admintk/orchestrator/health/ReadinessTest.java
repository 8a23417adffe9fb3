package com.admintk.orchestrator.health;

import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.identity.TokenService;
import com.admintk.orchestrator.localstack.EmbeddedStack;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadinessTest {

    private static TestApp app;
    private static String operatorToken;

    @BeforeAll
    static void start() {
        app = TestApp.start("api");
        // Minted directly: readiness is read while MongoDB is down, when no login could answer.
        operatorToken = app.bean(TokenGenerator.class).generateToken(Authentication.build("ops", List.of(Roles.ADMIN),
                Map.of(TokenService.METHODS_CLAIM, List.of("pwd", "otp"))), 900).orElseThrow();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void readinessListsTemporalMongoAndRedisWhenAllAreUp() {
        HttpResponse<Map<String, Object>> response = awaitReadiness("UP", Duration.ofSeconds(30));
        Map<String, Object> components = components(response);
        for (String name : new String[]{"temporal", "mongodb", "redis"}) {
            assertTrue(components.containsKey(name), "readiness names " + name + ": " + components);
            assertEquals("UP", status(components.get(name)));
        }
        assertEquals(200, app.exchange(HttpRequest.GET("/health/liveness")).code());
    }

    @Test
    void anonymousCallersAndCustomersSeeOnlyUpOrDown() {
        awaitReadiness("UP", Duration.ofSeconds(30));
        String customer = app.bean(TokenGenerator.class).generateToken(
                Authentication.build("usr_customer", List.of(Roles.CLIENT), Map.of()), 900).orElseThrow();
        for (HttpRequest<?> request : List.of(HttpRequest.GET("/health/readiness"), HttpRequest.GET("/health"),
                HttpRequest.GET("/health/readiness").bearerAuth(customer))) {
            HttpResponse<Map<String, Object>> response = app.exchange(request);
            assertEquals(200, response.code());
            assertEquals(Map.of("status", "UP"), response.getBody().orElseThrow(), request.getPath());
        }
    }

    @Test
    void mongoOutageMakesReadinessDownAndRecoveryBringsItBackWithoutRestart() {
        EmbeddedStack stack = TestStack.get();
        awaitReadiness("UP", Duration.ofSeconds(30));
        stack.stopMongo();
        try {
            HttpResponse<Map<String, Object>> down = awaitReadiness("DOWN", Duration.ofSeconds(30));
            assertEquals(503, down.code());
            assertEquals("DOWN", status(components(down).get("mongodb")));
        } finally {
            stack.startMongo();
        }
        awaitReadiness("UP", Duration.ofSeconds(60));
    }

    @Test
    void redisOutageMakesReadinessDownAndRecoveryBringsItBackWithoutRestart() {
        EmbeddedStack stack = TestStack.get();
        awaitReadiness("UP", Duration.ofSeconds(30));
        stack.stopRedis();
        try {
            HttpResponse<Map<String, Object>> down = awaitReadiness("DOWN", Duration.ofSeconds(30));
            assertEquals("DOWN", status(components(down).get("redis")));
        } finally {
            stack.startRedis();
        }
        awaitReadiness("UP", Duration.ofSeconds(60));
    }

    private static HttpResponse<Map<String, Object>> awaitReadiness(String expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<Map<String, Object>> last;
        do {
            last = app.exchange(HttpRequest.GET("/health/readiness").bearerAuth(operatorToken));
            if (expected.equals(last.getBody().map(b -> b.get("status")).orElse(null))) {
                return last;
            }
            sleep();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("readiness not " + expected + " within " + timeout + ": " + last.getBody().orElse(null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> components(HttpResponse<Map<String, Object>> response) {
        Map<String, Object> body = response.getBody().orElseThrow();
        return (Map<String, Object>) body.get("details");
    }

    @SuppressWarnings("unchecked")
    private static String status(Object component) {
        return String.valueOf(((Map<String, Object>) component).get("status"));
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
