package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/** Test helper: a tiny HTTP client for the simulator, fixture loading and JSON key-path comparison. */
final class SimHttp {
    static final ObjectMapper M = new ObjectMapper();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final PanelSimulator sim;

    record Res(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return M.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    SimHttp(PanelSimulator sim) {
        this.sim = sim;
    }

    Res app(String method, String path, Object body) {
        return call(method, "/api/application" + path, sim.configuration().applicationKey(), body);
    }

    Res client(String method, String path, Object body) {
        return call(method, "/api/client" + path, sim.configuration().clientKey(), body);
    }

    Res call(String method, String path, String key, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Accept", "application/json");
        if (key != null) b.header("Authorization", "Bearer " + key);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String s = body instanceof String str ? str : write(body);
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(s));
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Res(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String write(Object o) {
        try {
            return M.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fixtures: ../shared/pterodactyl/fixtures beside the repo root, else the copy in test resources. */
    static Path fixturesDir() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path p = cwd; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/pterodactyl/fixtures");
            if (Files.isDirectory(candidate)) return candidate;
        }
        Path copy = cwd.resolve("src/test/resources/pterodactyl-fixtures");
        if (Files.isDirectory(copy)) return copy;
        try {
            return Path.of(SimHttp.class.getResource("/pterodactyl-fixtures").toURI());
        } catch (Exception e) {
            throw new IllegalStateException("no fixtures found", e);
        }
    }

    static JsonNode fixture(String name) {
        try {
            return M.readTree(fixturesDir().resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode fixtureObject(String name) {
        return (ObjectNode) fixture(name);
    }

    /** Recursive key paths: objects add ".key", arrays add "[]" and merge their elements' paths. */
    static TreeSet<String> keyPaths(JsonNode n) {
        TreeSet<String> out = new TreeSet<>();
        collect(n, "", out);
        return out;
    }

    private static void collect(JsonNode n, String prefix, TreeSet<String> out) {
        if (n.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
                out.add(p);
                collect(e.getValue(), p, out);
            }
        } else if (n.isArray()) {
            String p = prefix + "[]";
            out.add(p);
            for (JsonNode x : n) collect(x, p, out);
        }
    }

    /** Polls the inspection view until the server's status is no longer "installing". */
    static String awaitInstalled(PanelSimulator sim, int id, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            SimState.ServerView v = sim.state().server(id).orElseThrow();
            if (!"installing".equals(v.status())) return v.status();
            Thread.sleep(20);
        }
        throw new AssertionError("server " + id + " still installing after " + max);
    }
}
