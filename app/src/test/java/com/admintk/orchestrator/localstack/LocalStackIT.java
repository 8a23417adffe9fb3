package com.admintk.orchestrator.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's run command as a newcomer runs it: the packaged local-stack launcher starts the embedded
 * infrastructure, the panel simulator and the packaged app jar in role dev with its dev defaults, prints the URLs,
 * answers readiness UP with Temporal, MongoDB and Redis, serves the seeded demo data, and stops cleanly on SIGTERM
 * with its MongoDB file kept. Ports are free ones, so this runs beside a local stack that is already up.
 */
class LocalStackIT {

    @Test
    void theLocalStackComesUpWithItsDefaultsAndStopsCleanly(@TempDir Path data) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path launcher = root.resolve("deployment/localstack/target/localstack.jar");
        Path appJar = root.resolve("app/target/orchestrator.jar");
        assertTrue(Files.isRegularFile(launcher) && Files.isRegularFile(appJar), "packaged jars exist");
        int api = FreePorts.next();
        Path log = Path.of("target", "processes", "localstack-it.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", launcher.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("APP_JAR", appJar.toString());
        env.put("DATA_DIR", data.toString());
        env.put("PORT", Integer.toString(api));
        for (String port : new String[]{"PANEL_PORT", "STRIPE_PORT", "SMTP_PORT", "TEMPORAL_PORT", "MONGO_PORT", "REDIS_PORT"}) {
            env.put(port, Integer.toString(FreePorts.next()));
        }
        Process stack = builder.start();
        try {
            String base = "http://localhost:" + api;
            awaitOutput(log, "local stack is up", stack, Duration.ofMinutes(3));
            String output = Files.readString(log);
            assertTrue(output.contains(base + "/api/v1"), output);
            assertTrue(output.contains("demo@admin-tk.local"), output);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            for (String component : new String[]{"\"temporal\"", "\"mongodb\"", "\"redis\""}) {
                assertTrue(ready.body().contains(component), ready.body());
            }
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"demo@admin-tk.local\",\"password\":\"demo-password\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
        } finally {
            stack.destroy();
            assertTrue(stack.waitFor(90, TimeUnit.SECONDS), "stops on SIGTERM");
        }
        String output = Files.readString(log);
        assertTrue(output.contains("Local stack stopped"), output);
        assertTrue(Files.isRegularFile(data.resolve("mongo.mv")), "MongoDB data kept");
    }

    private static void awaitOutput(Path log, String text, Process process, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the stack exited:\n" + Files.readString(log));
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + Files.readString(log));
    }
}
