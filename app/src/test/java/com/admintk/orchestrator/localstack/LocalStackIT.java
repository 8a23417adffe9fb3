package com.admintk.orchestrator.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's run command as a newcomer runs it: the packaged local-stack launcher starts the embedded
 * infrastructure, the panel simulator and the packaged app jar in role dev with its dev defaults, prints the URLs,
 * answers readiness UP with Temporal, MongoDB and Redis, serves the seeded demo data, and stops cleanly on SIGTERM
 * with its MongoDB file kept. Ports are drawn ones, so this runs beside a local stack that is already up.
 */
class LocalStackIT {

    @Test
    void theLocalStackComesUpWithItsDefaultsAndStopsCleanly(@TempDir Path data) throws Exception {
        PackagedLocalStack stack = PackagedLocalStack.start(data, "localstack-it");
        try {
            String base = stack.apiBase();
            String output = stack.output();
            assertTrue(output.contains(base + "/api/v1"), output);
            assertTrue(output.contains("demo@admin-tk.local"), output);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            // anonymous: up or down, no dependency details (those are for an admin's token, see ReadinessTest)
            assertEquals("{\"status\":\"UP\"}", ready.body());
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"demo@admin-tk.local\",\"password\":\"demo-password\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
        } finally {
            assertTrue(stack.stop(Duration.ofSeconds(90)), "stops on SIGTERM");
        }
        String output = stack.output();
        assertTrue(output.contains("Local stack stopped"), output);
        assertTrue(Files.isRegularFile(data.resolve("mongo.mv")), "MongoDB data kept");
    }
}
