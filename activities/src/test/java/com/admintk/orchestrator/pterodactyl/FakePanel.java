package com.admintk.orchestrator.pterodactyl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tiny in-memory panel for client tests: servers and users with the fixtures' shapes, external_id uniqueness,
 * pagination with a small page size, and knobs for 429s, slow creates and a dead node. Not the simulator.
 */
final class FakePanel implements AutoCloseable {

    static final String APP_KEY = "ptla_test";
    static final String CLIENT_KEY = "ptlc_test";

    final Map<Integer, ObjectNode> servers = new ConcurrentHashMap<>();
    final Map<Integer, ObjectNode> users = new ConcurrentHashMap<>();
    final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
    /** System.nanoTime() of every request's arrival, for rate measurements. */
    final List<Long> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger throttleNext = new AtomicInteger();
    volatile int retryAfterSeconds = 1;
    volatile long createDelayMillis;
    volatile boolean deadNode;
    volatile int pageSize = 2;
    /** Share of requests that fail: before the panel acts (503, reset, 429) or after it acted (502, late answer). */
    volatile double faultRate;
    volatile long lateAnswerMillis = 1000;
    final Map<String, AtomicInteger> faults = new ConcurrentHashMap<>();
    private static final ThreadLocal<String> AFTER_FAULT = new ThreadLocal<>();
    private final java.util.Random random = new java.util.Random(42);
    private final AtomicInteger ids = new AtomicInteger(100);
    private final HttpServer http;

    FakePanel() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/", this::handle);
        http.start();
    }

    String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    PanelConfiguration configuration() {
        return PanelConfiguration.of(url(), APP_KEY, CLIENT_KEY);
    }

    ObjectNode addServer(String externalId) {
        ObjectNode server = (ObjectNode) PanelJson.attributes(
                PanelJson.tree(Fixtures.read("app_server_get_installed_200.json")));
        int id = ids.incrementAndGet();
        server.put("id", id).put("external_id", externalId).put("uuid", "uuid-" + id)
                .put("identifier", String.format("%08d", id));
        servers.put(id, server);
        return server;
    }

    ObjectNode addUser(String externalId, String email) {
        ObjectNode user = (ObjectNode) PanelJson.attributes(
                PanelJson.tree(Fixtures.read("app_user_get_by_external_id_200.json")));
        int id = ids.incrementAndGet();
        user.put("id", id).put("external_id", externalId).put("email", email);
        users.put(id, user);
        return user;
    }

    long serversWithExternalId(String externalId) {
        return servers.values().stream().filter(s -> externalId.equals(s.path("external_id").asText())).count();
    }

    private void handle(HttpExchange x) throws IOException {
        String method = x.getRequestMethod();
        String path = x.getRequestURI().getPath();
        Map<String, String> query = query(x.getRequestURI().getRawQuery());
        arrivals.add(System.nanoTime());
        requests.add(method + " " + path);
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = x.getRequestHeaders().getFirst("Authorization");
        String expectedKey = path.startsWith("/api/client") ? CLIENT_KEY : APP_KEY;
        if (!("Bearer " + expectedKey).equals(auth)) {
            send(x, 403, Fixtures.read("error_403_access_denied.json"));
            return;
        }
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            x.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
            send(x, 429, Fixtures.read("error_429_rate_limited.json"));
            return;
        }
        AFTER_FAULT.remove();
        if (faultRate > 0 && nextDouble() < faultRate) {
            String fault = List.of("503", "reset", "429", "502-after", "late-after").get(nextInt(5));
            faults.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
            switch (fault) {
                case "503" -> {
                    send(x, 503, "{\"errors\":[{\"code\":\"HttpException\",\"status\":\"503\",\"detail\":\"x\"}]}");
                    return;
                }
                case "reset" -> {
                    x.close(); // no response at all
                    return;
                }
                case "429" -> {
                    x.getResponseHeaders().add("Retry-After", "0");
                    send(x, 429, Fixtures.read("error_429_rate_limited.json"));
                    return;
                }
                default -> AFTER_FAULT.set(fault);
            }
        }
        Matcher m;
        if (method.equals("POST") && path.equals("/api/application/servers")) {
            createServer(x, PanelJson.tree(body));
        } else if (method.equals("GET") && path.equals("/api/application/servers")) {
            String ext = query.get("filter[external_id]");
            list(x, servers.values().stream().filter(s -> ext == null || ext.equals(s.path("external_id").asText()))
                    .toList(), "server", query);
        } else if ((m = match("/api/application/servers/external/(.+)", path)) != null) {
            String ext = m.group(1);
            servers.values().stream().filter(s -> ext.equals(s.path("external_id").asText())).findFirst()
                    .ifPresentOrElse(s -> item(x, "server", s), () -> notFound(x));
        } else if ((m = match("/api/application/servers/(\\d+)", path)) != null && method.equals("GET")) {
            ObjectNode s = servers.get(Integer.parseInt(m.group(1)));
            if (s == null) {
                notFound(x);
            } else {
                item(x, "server", s);
            }
        } else if ((m = match("/api/application/servers/(\\d+)(/force)?", path)) != null
                && method.equals("DELETE")) {
            int id = Integer.parseInt(m.group(1));
            if (!servers.containsKey(id)) {
                notFound(x);
            } else if (deadNode && m.group(2) == null) {
                send(x, 504, Fixtures.read("error_504_daemon_unreachable.json"));
            } else {
                servers.remove(id);
                send(x, 204, null);
            }
        } else if (method.equals("GET") && path.equals("/api/application/users")) {
            String email = query.get("filter[email]");
            list(x, users.values().stream().filter(u -> email == null || email.equals(u.path("email").asText()))
                    .toList(), "user", query);
        } else if ((m = match("/api/application/users/external/(.+)", path)) != null) {
            String ext = m.group(1);
            users.values().stream().filter(u -> ext.equals(u.path("external_id").asText())).findFirst()
                    .ifPresentOrElse(u -> item(x, "user", u), () -> notFound(x));
        } else if (method.equals("POST") && path.equals("/api/application/users")) {
            JsonNode req = PanelJson.tree(body);
            ObjectNode u = addUser(req.path("external_id").asText(), req.path("email").asText());
            u.put("username", req.path("username").asText());
            item(x, 201, "user", u);
        } else {
            notFound(x);
        }
    }

    private void createServer(HttpExchange x, JsonNode req) throws IOException {
        String ext = req.path("external_id").asText();
        if (serversWithExternalId(ext) > 0) {
            send(x, 422, Fixtures.read("error_422_external_id_taken.json"));
            return;
        }
        if (req.path("environment").path("SERVER_JARFILE").isMissingNode()) {
            send(x, 422, Fixtures.read("error_422_egg_variable.json"));
            return;
        }
        if (req.has("deploy") && req.path("deploy").path("locations").isEmpty()) {
            send(x, 400, Fixtures.read("error_400_no_viable_node.json"));
            return;
        }
        ObjectNode s = addServer(ext);
        s.put("status", "installing").put("name", req.path("name").asText());
        if (createDelayMillis > 0) {
            sleep(createDelayMillis); // the panel made the server but answers late, like a slow Wings
        }
        item(x, 201, "server", s);
    }

    private void list(HttpExchange x, List<ObjectNode> all, String object, Map<String, String> query) {
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        int per = Math.min(pageSize, Integer.parseInt(query.getOrDefault("per_page", "50")));
        int pages = Math.max(1, (all.size() + per - 1) / per);
        List<ObjectNode> slice = all.subList(Math.min(all.size(), (page - 1) * per), Math.min(all.size(), page * per));
        ObjectNode root = PanelJson.MAPPER.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        slice.forEach(s -> data.addObject().put("object", object).set("attributes", s));
        ObjectNode p = root.putObject("meta").putObject("pagination");
        p.put("total", all.size()).put("count", slice.size()).put("per_page", per).put("current_page", page)
                .put("total_pages", pages).putArray("links");
        send(x, 200, root.toString());
    }

    private void item(HttpExchange x, String object, ObjectNode attributes) {
        item(x, 200, object, attributes);
    }

    private void item(HttpExchange x, int status, String object, ObjectNode attributes) {
        ObjectNode root = PanelJson.MAPPER.createObjectNode().put("object", object);
        root.set("attributes", attributes);
        send(x, status, root.toString());
    }

    private void notFound(HttpExchange x) {
        send(x, 404, Fixtures.read("error_404_not_found.json"));
    }

    private synchronized double nextDouble() {
        return random.nextDouble();
    }

    private synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private void send(HttpExchange x, int status, String body) {
        String after = AFTER_FAULT.get();
        AFTER_FAULT.remove();
        if ("502-after".equals(after)) {
            status = 502; // the panel did the work, then its answer is an error
            body = Fixtures.read("error_504_daemon_unreachable.json").replace("504", "502");
        } else if ("late-after".equals(after)) {
            sleep(lateAnswerMillis); // the panel did the work, the client gave up waiting
        }
        try {
            if (body == null) {
                x.sendResponseHeaders(status, -1);
            } else {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(status, bytes.length);
                x.getResponseBody().write(bytes);
            }
        } catch (IOException clientGone) {
            // the client timed out first
        } finally {
            x.close();
        }
    }

    private static Matcher match(String regex, String path) {
        Matcher m = Pattern.compile(regex).matcher(path);
        return m.matches() ? m : null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return q;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
