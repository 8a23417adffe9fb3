package com.admintk.orchestrator.live;

import com.admintk.orchestrator.identity.AuditRepository;
import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.localstack.panel.FaultInjector;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.mongodb.client.model.Filters;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live operations on a server the demo customer bought, end to end: the app in role dev against its own panel
 * simulator (so the simulator's request log holds this test's panel calls only, and its faults touch no other test).
 */
class LiveServerOperationsEndToEndTest {

    private static final Duration OPEN_WAIT = Duration.ofSeconds(2);
    private static final int MINIMUM_CALLS = 5;
    private static final HttpClient PLAIN_HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static PanelSimulator panel;
    private static Shop shop;
    private static String owner;
    private static String ownerId;
    private static String admin;
    private static String otherCustomer;
    private static String serverId;
    private static SimState.ServerView panelServer;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void open() {
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofSeconds(2))
                .powerTransition(Duration.ofMillis(200)).build()).start();
        Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("panel.url", panel.baseUrl());
        // our own bucket: the shared one belongs to the tests that measure the fleet's rate
        overrides.put("panel.rate-limit-key", "admintk:panel:rate:live-" + UUID.randomUUID());
        overrides.put("panel.rate-limit-per-minute", 6000);
        overrides.put("panel.rate-limit-burst", 200);
        // no usage poller: every panel request after checkout comes from this test's calls
        overrides.put("orchestrator.live.stats.enabled", false);
        overrides.put("orchestrator.live.breaker.sliding-window", 10);
        overrides.put("orchestrator.live.breaker.minimum-calls", MINIMUM_CALLS);
        overrides.put("orchestrator.live.breaker.failure-rate-threshold", 50);
        overrides.put("orchestrator.live.breaker.wait-in-open-state", OPEN_WAIT.toMillis() + "ms");
        overrides.put("orchestrator.live.breaker.half-open-calls", 2);
        shop = Shop.open(overrides);
        owner = shop.login(Shop.DEMO);
        ownerId = (String) shop.app().exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(owner))
                .getBody().orElseThrow().get("id");
        admin = shop.login(Shop.ADMIN);
        otherCustomer = IdentityFixtures.newClient(shop.app(), "other-" + UUID.randomUUID() + "@example.test")
                .accessToken();

        HttpResponse<Map<String, Object>> accepted = shop.checkout(owner, "live-" + UUID.randomUUID(),
                Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shop.awaitOrder(owner, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        serverId = (String) order.get("serverId");
        panelServer = panel.state().serverByExternalId("order:" + orderId).orElseThrow();
    }

    @AfterAll
    static void close() {
        if (shop != null) {
            shop.close();
        }
        if (panel != null) {
            panel.close();
        }
    }

    @BeforeEach
    @AfterEach
    void healthyPanel() {
        panel.faults().clear();
        breaker().reset();
    }

    @Test
    void theOwnerPowersTheServerAndTheCommandReachesTheConsole() {
        assertEquals(204, post("/power", Map.of("signal", "start"), owner).code());
        await(() -> "running".equals(powerState()), "the simulator's server runs");

        String line = "say hello from the API " + UUID.randomUUID();
        HttpResponse<Map<String, Object>> sent = post("/command", Map.of("command", line), owner);
        assertEquals(204, sent.code(), () -> String.valueOf(sent.getBody().orElse(null)));
        assertTrue(panel.state().console(panelServer.uuid()).contains(line), "the line is in the simulator's console");

        HttpResponse<Map<String, Object>> resources = get("/resources", owner);
        assertEquals(200, resources.code(), () -> String.valueOf(resources.getBody().orElse(null)));
        assertEquals("running", resources.getBody().orElseThrow().get("state"));
        assertEquals(serverId, resources.getBody().orElseThrow().get("serverId"));
        assertEquals(200, get("/resources", admin).code(), "an admin reads any server");

        // a stopped server takes no command: 409 with a clear code, and the panel is not blamed for it
        assertEquals(204, post("/power", Map.of("signal", "stop"), admin).code(), "an admin acts on any server");
        await(() -> "offline".equals(powerState()), "the simulator's server stops");
        HttpResponse<Map<String, Object>> offline = post("/command", Map.of("command", "say anyone?"), owner);
        assertEquals(409, offline.code());
        assertEquals("SERVER_OFFLINE", TestApp.error(offline).get("code"));
        assertEquals(0, breaker().getMetrics().getNumberOfFailedCalls(), "a stopped game server is no panel outage");

        Document power = audit("SERVER_POWER", "SUCCESS");
        assertEquals(Map.of("signal", "start"), Map.copyOf((Document) power.get("details")));
        assertNotNull(audit("SERVER_COMMAND", "SUCCESS"));
        assertNotNull(audit("SERVER_COMMAND", "FAILURE"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void filesGoRoundTheListWriteReadRenameDownloadAndDelete() throws Exception {
        Map<String, Object> root = get("/files", owner).getBody().orElseThrow();
        List<String> names = ((List<Map<String, Object>>) root.get("entries")).stream()
                .map(entry -> (String) entry.get("name")).toList();
        assertTrue(names.containsAll(List.of("plugins", "eula.txt", "server.properties")), String.valueOf(root));

        String content = "motd=written through the API " + UUID.randomUUID() + "\n";
        HttpResponse<Map<String, Object>> written = shop.app().exchange(HttpRequest
                .POST(path("/files/write?file=" + encode("config/live.txt")), content)
                .contentType(MediaType.TEXT_PLAIN_TYPE).bearerAuth(owner));
        assertEquals(204, written.code(), () -> String.valueOf(written.getBody().orElse(null)));
        assertEquals(content, text("/files/contents?file=" + encode("/config/live.txt"), owner));

        Map<String, Object> config = get("/files?directory=" + encode("/config/"), owner).getBody().orElseThrow();
        assertEquals("/config", config.get("path"));
        Map<String, Object> entry = ((List<Map<String, Object>>) config.get("entries")).get(0);
        assertEquals("/config/live.txt", entry.get("path"));
        assertEquals(false, entry.get("directory"));

        HttpResponse<Map<String, Object>> renamed = put("/files/rename", Map.of("root", "/config",
                "files", List.of(Map.of("from", "live.txt", "to", "renamed.txt"))), owner);
        assertEquals(204, renamed.code(), () -> String.valueOf(renamed.getBody().orElse(null)));
        HttpResponse<Map<String, Object>> gone = get("/files/contents?file=" + encode("/config/live.txt"), owner);
        assertEquals(404, gone.code());
        assertEquals("FILE_NOT_FOUND", TestApp.error(gone).get("code"));

        String download = (String) get("/files/download-url?file=" + encode("/config/renamed.txt"), owner)
                .getBody().orElseThrow().get("url");
        java.net.http.HttpResponse<String> downloaded = PLAIN_HTTP.send(java.net.http.HttpRequest
                .newBuilder(URI.create(download)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(content, downloaded.body(), "the signed URL serves the file");
        String upload = (String) get("/files/upload-url", owner).getBody().orElseThrow().get("url");
        assertTrue(upload.startsWith(panel.baseUrl() + "/upload/file?token="), upload);

        HttpResponse<Map<String, Object>> deleted = post("/files/delete", Map.of("root", "/",
                "files", List.of("config")), owner);
        assertEquals(204, deleted.code(), () -> String.valueOf(deleted.getBody().orElse(null)));
        assertEquals(404, get("/files/contents?file=" + encode("/config/renamed.txt"), owner).code());

        assertEquals(Map.of("file", "/config/live.txt", "bytes", content.length()),
                Map.copyOf((Document) audit("FILE_WRITTEN", "SUCCESS").get("details")));
        assertEquals(List.of("/config/live.txt -> /config/renamed.txt"),
                ((Document) audit("FILE_RENAMED", "SUCCESS").get("details")).get("files"));
        assertEquals(List.of("/config"), ((Document) audit("FILE_DELETED", "SUCCESS").get("details")).get("files"));
        assertEquals(0, breaker().getMetrics().getNumberOfFailedCalls(), "404s are answers, not a panel outage");
    }

    @Test
    void anotherCustomerGets404OnEveryRouteAndNothingReachesThePanel() {
        long audits = audits();
        panel.state().clearRequests();
        for (MutableHttpRequest<?> request : everyRoute(serverId)) {
            HttpResponse<Map<String, Object>> answer = shop.app().exchange(request.bearerAuth(otherCustomer));
            assertEquals(404, answer.code(), request.getMethodName() + " " + request.getPath());
            assertEquals("NOT_FOUND", TestApp.error(answer).get("code"));
        }
        for (MutableHttpRequest<?> request : everyRoute("srv-ord_" + "0".repeat(24))) {
            assertEquals(404, shop.app().exchange(request.bearerAuth(owner)).code(), "no such server");
        }
        assertEquals(List.of(), panel.state().requests(), "the panel received nothing");
        assertEquals(audits, audits(), "nothing was audited: nothing was done");
    }

    @Test
    void badInputIsRefusedWith400AndNeverSent() {
        panel.state().clearRequests();
        expect400(post("/power", Map.of("signal", "explode"), owner), "INVALID_SIGNAL", "signal");
        expect400(post("/power", Map.of(), owner), "INVALID_SIGNAL", "signal");
        expect400(post("/command", Map.of("command", "  "), owner), "INVALID_COMMAND", "command");
        expect400(post("/command", Map.of("command", "say a\nstop"), owner), "INVALID_COMMAND", "command");
        expect400(post("/command", Map.of("command", "x".repeat(1001)), owner), "INVALID_COMMAND", "command");
        expect400(get("/files/contents?file=" + encode("../../etc/passwd"), owner), "INVALID_PATH", "file");
        expect400(get("/files/contents?file=" + encode("/plugins/../../etc/passwd"), owner), "INVALID_PATH", "file");
        expect400(get("/files?directory=" + encode("/logs/\u0000/x"), owner), "INVALID_PATH", "directory");
        expect400(get("/files/download-url?file=" + encode("a\\..\\..\\etc\\passwd"), owner), "INVALID_PATH", "file");
        expect400(get("/files/contents?file=" + encode("/" + "a".repeat(1100)), owner), "INVALID_PATH", "file");
        expect400(shop.app().exchange(HttpRequest.POST(path("/files/write?file=" + encode("../../etc/passwd")), "x")
                .contentType(MediaType.TEXT_PLAIN_TYPE).bearerAuth(owner)), "INVALID_PATH", "file");
        expect400(post("/files/delete", Map.of("root", "/plugins", "files", List.of("../../../etc")), owner),
                "INVALID_PATH", "files[0]");
        expect400(post("/files/delete", Map.of("root", "/", "files", List.of(".")), owner), "INVALID_PATH", "files[0]");
        expect400(post("/files/delete", Map.of("root", "/", "files", List.of()), owner), "INVALID_FILES", "files");
        expect400(put("/files/rename", Map.of("root", "/", "files", List.of(Map.of("from", "eula.txt",
                "to", "../eula.txt"))), owner), "INVALID_PATH", "files[0].to");

        byte[] oversized = new byte[600 * 1024];
        java.util.Arrays.fill(oversized, (byte) 'a');
        HttpResponse<Map<String, Object>> tooLarge = shop.app().exchange(HttpRequest
                .POST(path("/files/write?file=" + encode("/big.txt")), oversized)
                .contentType(MediaType.APPLICATION_OCTET_STREAM_TYPE).bearerAuth(owner));
        expect400(tooLarge, "FILE_TOO_LARGE", "$body");

        assertEquals(List.of(), panel.state().requests(), "nothing was sent to the panel");
    }

    @Test
    void suspendedTerminatedAndInstallingServersAnswer409WithTheirOwnCodes() throws Exception {
        Database database = shop.app().bean(Database.class);
        String suspended = "srv-ord_" + "5".repeat(24);
        String terminated = "srv-ord_" + "7".repeat(24);
        database.collection("servers").insertOne(new Document("_id", suspended).append("customerId", ownerId)
                .append("status", "SUSPENDED").append("suspension", "NON_PAYMENT")
                .append("panelIdentifier", panelServer.identifier()));
        database.collection("servers").insertOne(new Document("_id", terminated).append("customerId", ownerId)
                .append("status", "TERMINATED").append("panelIdentifier", panelServer.identifier()));
        panel.state().clearRequests();
        HttpResponse<Map<String, Object>> onSuspended = shop.app().exchange(HttpRequest
                .POST("/api/v1/servers/" + suspended + "/power", Map.of("signal", "start")).bearerAuth(owner));
        assertEquals(409, onSuspended.code());
        assertEquals("SERVER_SUSPENDED", TestApp.error(onSuspended).get("code"));
        HttpResponse<Map<String, Object>> onTerminated = shop.app().exchange(HttpRequest
                .GET("/api/v1/servers/" + terminated + "/files").bearerAuth(owner));
        assertEquals(409, onTerminated.code());
        assertEquals("SERVER_TERMINATED", TestApp.error(onTerminated).get("code"));
        assertEquals(List.of(), panel.state().requests(), "our own record decides: nothing sent");

        // reinstalling on the panel: the panel's 409 becomes SERVER_INSTALLING, and does not count against it
        java.net.http.HttpResponse<String> reinstall = PLAIN_HTTP.send(java.net.http.HttpRequest.newBuilder(
                        URI.create(panel.baseUrl() + "/api/application/servers/" + panelServer.id() + "/reinstall"))
                .header("Authorization", "Bearer ptla_demo").header("Accept", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(204, reinstall.statusCode(), reinstall.body());
        HttpResponse<Map<String, Object>> installing = post("/power", Map.of("signal", "start"), owner);
        assertEquals(409, installing.code());
        assertEquals("SERVER_INSTALLING", TestApp.error(installing).get("code"));
        assertEquals(0, breaker().getMetrics().getNumberOfFailedCalls(), "a 409 is an answer, not an outage");
        await(() -> panel.state().server(panelServer.id()).orElseThrow().status() == null, "the reinstall ends");
    }

    /**
     * Acceptance 4: with the panel failing every call, power requests fail until the breaker opens; from then on they
     * answer 503 at once and the panel sees no request; once the panel is back and the open wait has passed, trial
     * calls close the breaker again.
     */
    @Test
    void aFailingPanelOpensTheBreakerThen503sComeFastWithoutPanelCallsAndItRecovers() {
        try {
            panel.faults().probability(FaultInjector.Fault.HTTP_500, 1.0).afterProcessingRatio(0);
            int failed = 0;
            HttpResponse<Map<String, Object>> answer;
            while (true) {
                answer = post("/power", Map.of("signal", "start"), owner);
                if (answer.code() != 502) {
                    break;
                }
                assertEquals("PANEL_ERROR", TestApp.error(answer).get("code"));
                failed++;
                assertTrue(failed <= MINIMUM_CALLS, "the breaker opens after " + MINIMUM_CALLS + " failed calls");
            }
            assertEquals(MINIMUM_CALLS, failed, "failed calls before the breaker opened");
            assertEquals(503, answer.code());
            assertEquals(CircuitBreaker.State.OPEN, breaker().getState());
            int panelRequests = panel.state().requests().size();

            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                HttpResponse<Map<String, Object>> refused = post("/power", Map.of("signal", "start"), owner);
                micros.add((System.nanoTime() - started) / 1000);
                assertEquals(503, refused.code());
                assertEquals("PANEL_UNAVAILABLE", TestApp.error(refused).get("code"));
                long retryAfter = Long.parseLong(refused.getHeaders().get("Retry-After"));
                assertTrue(retryAfter >= 1 && retryAfter <= OPEN_WAIT.toSeconds(), "Retry-After " + retryAfter);
            }
            assertEquals(panelRequests, panel.state().requests().size(), "an open breaker sends nothing to the panel");
            List<Long> sorted = micros.stream().sorted().toList();
            double medianMillis = (sorted.get(9) + sorted.get(10)) / 2000.0;
            double maxMillis = sorted.get(19) / 1000.0;
            System.out.printf("breaker open: 20 power requests answered 503, median %.1f ms, max %.1f ms%n",
                    medianMillis, maxMillis);
            assertTrue(medianMillis < 100, "503 median " + medianMillis + " ms");
            assertTrue(prometheus().contains("resilience4j_circuitbreaker_state{name=\"panel\",state=\"open\"} 1"),
                    "the open state is a metric");

            panel.faults().clear();
            await(() -> post("/power", Map.of("signal", "start"), owner).code() == 204,
                    "power works again once the open wait has passed");
            assertEquals(CircuitBreaker.State.HALF_OPEN, breaker().getState(), "one trial call of two went through");
            assertEquals(204, post("/power", Map.of("signal", "start"), owner).code());
            assertEquals(CircuitBreaker.State.CLOSED, breaker().getState(), "two good trial calls close it");
            assertTrue(prometheus().contains("resilience4j_circuitbreaker_state{name=\"panel\",state=\"closed\"} 1"),
                    "the closed state is a metric");
        } finally {
            panel.faults().clear();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static CircuitBreaker breaker() {
        return shop.app().bean(LivePanel.class).breaker();
    }

    private static String powerState() {
        return panel.state().server(panelServer.id()).orElseThrow().powerState();
    }

    private static List<MutableHttpRequest<?>> everyRoute(String server) {
        String base = "/api/v1/servers/" + server;
        return List.of(
                HttpRequest.POST(base + "/power", Map.of("signal", "start")),
                HttpRequest.POST(base + "/command", Map.of("command", "say hi")),
                HttpRequest.GET(base + "/resources"),
                HttpRequest.GET(base + "/files?directory=%2F"),
                HttpRequest.GET(base + "/files/contents?file=%2Feula.txt"),
                HttpRequest.POST(base + "/files/write?file=%2Fx.txt", "x").contentType(MediaType.TEXT_PLAIN_TYPE),
                HttpRequest.POST(base + "/files/delete", Map.of("root", "/", "files", List.of("eula.txt"))),
                HttpRequest.PUT(base + "/files/rename", Map.of("root", "/",
                        "files", List.of(Map.of("from", "eula.txt", "to", "b.txt")))),
                HttpRequest.GET(base + "/files/upload-url"),
                HttpRequest.GET(base + "/files/download-url?file=%2Feula.txt"));
    }

    private static String path(String route) {
        return "/api/v1/servers/" + serverId + route;
    }

    private static HttpResponse<Map<String, Object>> get(String route, String token) {
        return shop.app().exchange(HttpRequest.GET(path(route)).bearerAuth(token));
    }

    private static HttpResponse<Map<String, Object>> post(String route, Object body, String token) {
        return shop.app().exchange(HttpRequest.POST(path(route), body).bearerAuth(token));
    }

    private static HttpResponse<Map<String, Object>> put(String route, Object body, String token) {
        return shop.app().exchange(HttpRequest.PUT(path(route), body).bearerAuth(token));
    }

    private static String text(String route, String token) {
        try {
            return shop.app().http().retrieve(HttpRequest.GET(path(route)).bearerAuth(token), String.class);
        } catch (HttpClientResponseException e) {
            throw new AssertionError(route + ": " + e.getStatus() + " " + e.getResponse().getBody(String.class), e);
        }
    }

    private static String prometheus() {
        return shop.app().http().retrieve(HttpRequest.GET("/prometheus"), String.class);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private static void expect400(HttpResponse<Map<String, Object>> answer, String code, String field) {
        assertEquals(400, answer.code(), () -> String.valueOf(answer.getBody().orElse(null)));
        Map<String, Object> error = TestApp.error(answer);
        assertEquals(code, error.get("code"), String.valueOf(error));
        assertEquals(field, ((Map<String, Object>) error.get("details")).get("field"), String.valueOf(error));
    }

    private static Document audit(String action, String result) {
        Document entry = shop.app().bean(Database.class).collection(AuditRepository.COLLECTION)
                .find(Filters.and(Filters.eq("action", action), Filters.eq("result", result),
                        Filters.eq("target", "server:" + serverId))).first();
        assertNotNull(entry, action + " " + result + " is in the audit log");
        return entry;
    }

    private static long audits() {
        return shop.app().bean(Database.class).collection(AuditRepository.COLLECTION).countDocuments();
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "not in time: " + what);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
