package com.admintk.orchestrator.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** The REST API as the store and the dashboard call it: login, checkout, order and server reads. */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    Api(String base) {
        this.base = base;
        JsonNode login = call("POST", "/api/v1/auth/login", null,
                "{\"email\":\"demo@admin-tk.local\",\"password\":\"" + Stack.PASSWORD + "\"}", 200);
        this.token = login.get("accessToken").asText();
    }

    /** One checkout with its own idempotency key; returns the order id. Anything but 202 is a failure. */
    String checkout(String serverName) {
        return call("POST", "/api/v1/orders", UUID.randomUUID().toString(),
                "{\"planId\":\"" + Stack.PLAN + "\",\"serverName\":\"" + serverName + "\",\"paymentMethod\":\"tkcoins\"}", 202)
                .get("orderId").asText();
    }

    JsonNode order(String orderId) {
        return call("GET", "/api/v1/orders/" + orderId, null, null, 200);
    }

    JsonNode servers() {
        return call("GET", "/api/v1/servers", null, null, 200);
    }

    static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }

    private JsonNode call(String method, String path, String idempotencyKey, String body, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
