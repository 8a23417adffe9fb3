package com.admintk.orchestrator.live.ws;

import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live WebSocket across two API instances sharing one Redis and one MongoDB: instance B is a whole shop (role
 * dev: API and workers), instance A an API process. Both talk to this test's own panel simulator, whose Wings tokens
 * live 20 s (warning 5 s before), so every watch longer than that must re-authenticate upstream. The last test
 * closes instance A.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveSocketEndToEndTest {

    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RECHECK = Duration.ofSeconds(1);
    private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(20);

    private static PanelSimulator panel;
    private static Shop shop;
    private static TestApp a;
    private static TestApp b;
    private static String owner;
    private static String serverId;
    private static String orderId;
    private static SimState.ServerView panelServer;

    @BeforeAll
    static void open() {
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofSeconds(2))
                .powerTransition(Duration.ofMillis(200)).statsInterval(Duration.ofMillis(500))
                .tokenLifetime(TOKEN_LIFETIME).tokenExpiringWarning(Duration.ofSeconds(5)).build()).start();
        String database = "livews" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Map<String, Object> shared = new HashMap<>();
        shared.put("mongodb.uri", TestStack.get().mongoUri(database));
        shared.put("panel.url", panel.baseUrl());
        shared.put("panel.rate-limit-key", "admintk:panel:rate:livews-" + UUID.randomUUID());
        shared.put("panel.rate-limit-per-minute", 6000);
        shared.put("panel.rate-limit-burst", 200);
        shared.put("orchestrator.metrics.server-usage.max-servers", 0);
        shared.put("orchestrator.security.rate-limit.enabled", false);
        shared.put("orchestrator.security.bcrypt-cost", 4);
        shared.put("orchestrator.live.socket.auth-timeout", AUTH_TIMEOUT.toMillis() + "ms");
        shared.put("orchestrator.live.socket.recheck-interval", RECHECK.toMillis() + "ms");
        shared.put("orchestrator.live.socket.watch-ttl", "3s");
        shared.put("orchestrator.live.socket.watch-renew", "1s");
        shared.put("orchestrator.live.socket.order-poll", "500ms");
        shop = Shop.open(shared);
        b = shop.app();
        a = TestApp.start("api", shared);

        owner = shop.login(Shop.DEMO);
        HttpResponse<Map<String, Object>> accepted = shop.checkout(owner, "livews-" + UUID.randomUUID(),
                Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shop.awaitOrder(owner, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        serverId = (String) order.get("serverId");
        panelServer = panel.state().serverByExternalId("order:" + orderId).orElseThrow();
        assertEquals(204, b.exchange(HttpRequest.POST("/api/v1/servers/" + serverId + "/power",
                Map.of("signal", "start")).bearerAuth(owner)).code());
        await(() -> "running".equals(panel.state().server(panelServer.id()).orElseThrow().powerState()),
                Duration.ofSeconds(15), "the server runs");
    }

    @AfterAll
    static void close() {
        if (a != null) {
            a.close();
        }
        if (shop != null) {
            shop.close();
        }
        if (panel != null) {
            panel.close();
        }
    }

    @Test
    @Order(1)
    void aSocketThatDoesNotAuthenticateIsClosedWithinTheConfiguredTime() {
        HttpResponse<Map<String, Object>> plain = a.exchange(HttpRequest.GET("/api/v1/ws"));
        assertEquals(426, plain.code(), "a plain request is told to upgrade");
        assertEquals("UPGRADE_REQUIRED", TestApp.error(plain).get("code"));
        try (LiveClient silent = LiveClient.connect(a.url())) {
            long started = System.nanoTime();
            LiveClient.Closed closed = silent.awaitClose(AUTH_TIMEOUT.plusSeconds(3));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(new LiveClient.Closed(4401, "AUTH_TIMEOUT"), closed);
            assertTrue(tookMs >= AUTH_TIMEOUT.toMillis() - 200, "not before the configured time: " + tookMs);
        }
        try (LiveClient early = LiveClient.connect(a.url())) {
            early.send(Map.of("type", "subscribe", "server", serverId));
            JsonNode refused = early.next(Duration.ofSeconds(5));
            assertEquals("error", refused.path("type").asText());
            assertEquals("AUTH_REQUIRED", refused.path("code").asText());
            early.send(Map.of("type", "auth", "token", owner.substring(0, owner.length() - 3) + "abc"));
            assertEquals(new LiveClient.Closed(4401, "INVALID_TOKEN"), early.awaitClose(Duration.ofSeconds(5)));
        }
    }

    @Test
    @Order(2)
    void anotherClientCanNeitherWatchNorActOnTheServerAndNothingReachesThePanel() {
        String other = IdentityFixtures.newClient(b, "ws-other-" + UUID.randomUUID() + "@example.test")
                .accessToken();
        int before = panel.openedWebsocketConnections(panelServer.uuid());
        panel.state().clearRequests();
        try (LiveClient intruder = LiveClient.authenticated(a.url(), other)) {
            intruder.send(Map.of("type", "subscribe", "id", "s1", "server", serverId));
            expectError(intruder, "s1", "NOT_FOUND");
            intruder.send(Map.of("type", "command", "id", "c1", "server", serverId, "command", "op intruder"));
            expectError(intruder, "c1", "NOT_FOUND");
            intruder.send(Map.of("type", "power", "id", "p1", "server", serverId, "signal", "kill"));
            expectError(intruder, "p1", "NOT_FOUND");
            intruder.send(Map.of("type", "subscribe", "id", "o1", "order", orderId));
            expectError(intruder, "o1", "NOT_FOUND");
            intruder.send(Map.of("type", "subscribe", "id", "x1", "server", serverId, "$where", "1"));
            expectError(intruder, "x1", "BAD_MESSAGE");
            intruder.send(Map.of("type", "ping", "id", "last"));
            intruder.await(LiveClient.type("pong"), Duration.ofSeconds(5), "pong");
        }
        assertEquals(List.of(), panel.state().requests(), "the panel received nothing");
        assertEquals(before, panel.openedWebsocketConnections(panelServer.uuid()), "no Wings socket was opened");
        assertFalse(panel.state().console(panelServer.uuid()).contains("op intruder"));
        assertEquals("running", panel.state().server(panelServer.id()).orElseThrow().powerState());
    }

    @Test
    @Order(3)
    void theOwnerWatchesTheOrdersProgress() {
        try (LiveClient client = LiveClient.authenticated(b.url(), owner)) {
            client.send(Map.of("type", "subscribe", "id", "o", "order", orderId));
            client.await(LiveClient.type("ack"), Duration.ofSeconds(5), "ack");
            JsonNode snapshot = client.await(LiveClient.type("snapshot"), Duration.ofSeconds(5), "snapshot");
            assertEquals(orderId, snapshot.path("order").asText());
            assertEquals("ACTIVE", snapshot.path("data").path("status").asText());
            assertEquals(serverId, snapshot.path("data").path("serverId").asText());
        }
    }

    @Test
    @Order(4)
    void aDisabledUsersSocketIsClosed() {
        IdentityFixtures.Login user = IdentityFixtures.newClient(b, "ws-disabled-" + UUID.randomUUID()
                + "@example.test");
        try (LiveClient client = LiveClient.authenticated(a.url(), user.accessToken())) {
            b.bean(UserService.class).setDisabled(user.userId(), true);
            assertEquals(new LiveClient.Closed(4403, "ACCOUNT_DISABLED"),
                    client.awaitClose(RECHECK.plusSeconds(5)), "closed by the periodic check");
        }
        IdentityFixtures.Login loggedOut = IdentityFixtures.newClient(b, "ws-logout-" + UUID.randomUUID()
                + "@example.test");
        try (LiveClient client = LiveClient.authenticated(a.url(), loggedOut.accessToken())) {
            assertEquals(204, b.exchange(HttpRequest.POST("/api/v1/auth/logout",
                    Map.of("refreshToken", loggedOut.refreshToken())).bearerAuth(loggedOut.accessToken())).code());
            client.send(Map.of("type", "ping"));
            assertEquals(new LiveClient.Closed(4401, "SESSION_REVOKED"), client.awaitClose(Duration.ofSeconds(5)),
                    "closed at the next message");
        }
    }

    @Test
    @Order(5)
    void aSuspendedServersWatchEndsWithItsReason() {
        // a second record of the demo customer's, on the same panel server, so the real one stays usable
        String suspended = "srv-ord_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        Database database = b.bean(Database.class);
        String customer = database.collection("servers").find(Filters.eq("_id", serverId)).first()
                .getString("customerId");
        database.collection("servers").insertOne(new Document("_id", suspended).append("customerId", customer)
                .append("status", "ACTIVE").append("panelIdentifier", panelServer.identifier()));
        try (LiveClient client = LiveClient.authenticated(a.url(), owner)) {
            client.send(Map.of("type", "subscribe", "server", suspended));
            client.await(LiveClient.type("snapshot"), Duration.ofSeconds(10), "snapshot");
            database.collection("servers").updateOne(Filters.eq("_id", suspended),
                    Updates.combine(Updates.set("status", "SUSPENDED"), Updates.set("suspension", "NON_PAYMENT")));
            JsonNode ended = client.await(LiveClient.type("ended"), RECHECK.plusSeconds(5), "ended");
            assertEquals(suspended, ended.path("server").asText());
            assertEquals("SERVER_SUSPENDED", ended.path("reason").asText());
            assertEquals(new LiveClient.Closed(4410, "SERVER_SUSPENDED"), client.awaitClose(Duration.ofSeconds(5)));
            client.close();
            try (LiveClient again = LiveClient.authenticated(b.url(), owner)) {
                again.send(Map.of("type", "subscribe", "id", "again", "server", suspended));
                expectError(again, "again", "SERVER_SUSPENDED");
            }
        }
        await(() -> panel.websocketConnections(panelServer.uuid()) == 0, Duration.ofSeconds(10),
                "the last watcher left: the Wings socket is closed");
    }

    /**
     * Acceptance 1-3 in one watch of more than a minute: a command sent through B echoes on A's socket; the Wings
     * token (20 s) is renewed along the way; closing A moves the client to B, which starts with a snapshot and
     * carries on; the simulator never sees two sockets for the server at once.
     */
    @Test
    @Order(10)
    void oneWatchOutlivesWingsTokensAndTheInstanceItStartedOn() throws Exception {
        String uuid = panelServer.uuid();
        int openedBefore = panel.openedWebsocketConnections(uuid);
        panel.state().clearRequests();
        AtomicInteger sampledPeak = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                sampledPeak.accumulateAndGet(panel.websocketConnections(uuid), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "wings-socket-sampler");
        sampler.start();
        long started = System.nanoTime();
        try {
            LiveClient onA = LiveClient.authenticated(a.url(), owner);
            onA.send(Map.of("type", "subscribe", "id", "watch", "server", serverId));
            assertEquals("ack", onA.next(Duration.ofSeconds(10)).path("type").asText());
            JsonNode first = onA.next(Duration.ofSeconds(10));
            assertEquals("snapshot", first.path("type").asText(), "the snapshot comes first: " + first);
            onA.await(LiveClient.type("stats"), Duration.ofSeconds(10), "stats from Wings");

            // 1. a command through instance B (REST) echoes on A's socket
            String viaRest = "say via B's REST " + UUID.randomUUID();
            assertEquals(204, b.exchange(HttpRequest.POST("/api/v1/servers/" + serverId + "/command",
                    Map.of("command", viaRest)).bearerAuth(owner)).code());
            onA.await(console(viaRest), Duration.ofSeconds(10), "the echo of B's command on A");

            // the same through a socket on B
            try (LiveClient onB = LiveClient.authenticated(b.url(), owner)) {
                String viaSocket = "say via B's socket " + UUID.randomUUID();
                onB.send(Map.of("type", "command", "id", "cmd", "server", serverId, "command", viaSocket));
                JsonNode ack = onB.await(LiveClient.type("ack").or(LiveClient.type("error")), Duration.ofSeconds(10),
                        "the command's answer");
                assertEquals("ack", ack.path("type").asText(), ack.toString());
                onA.await(console(viaSocket), Duration.ofSeconds(10), "the echo of B's socket command on A");
            }

            // 3. past the Wings token's lifetime on A: commands and stats keep coming
            keepTalking(onA, Duration.ofSeconds(25), "on A");

            // 2. instance A goes away: its clients are told to go elsewhere
            a.close();
            a = null;
            LiveClient.Closed goingAway = onA.awaitClose(Duration.ofSeconds(10));
            assertEquals(1001, goingAway.code(), goingAway.toString());
            onA.close();

            LiveClient onB = LiveClient.authenticated(b.url(), owner);
            onB.send(Map.of("type", "subscribe", "server", serverId));
            assertEquals("ack", onB.next(Duration.ofSeconds(10)).path("type").asText());
            JsonNode snapshot = onB.next(Duration.ofSeconds(10));
            assertEquals("snapshot", snapshot.path("type").asText(), snapshot.toString());
            assertEquals("running", snapshot.path("state").asText(), snapshot.toString());
            assertTrue(snapshot.path("stats").path("memoryBytes").isNumber(), snapshot.toString());
            assertTrue(snapshot.path("console").toString().contains(viaRest),
                    "recent console lines are in the snapshot: " + snapshot);
            // B has taken the Wings socket over once its stats flow (lines printed during the hand-over are not replayed)
            onB.await(LiveClient.type("stats"), Duration.ofSeconds(15), "stats from B's Wings socket");
            String afterMove = "say after the move " + UUID.randomUUID();
            onB.send(Map.of("type", "command", "server", serverId, "command", afterMove));
            onB.await(console(afterMove), Duration.ofSeconds(15), "the stream continues on B");

            keepTalking(onB, Duration.ofSeconds(60).minus(Duration.ofNanos(System.nanoTime() - started))
                    .plusSeconds(5), "on B");

            onB.send(Map.of("type", "unsubscribe", "server", serverId));
            await(() -> panel.websocketConnections(uuid) == 0, Duration.ofSeconds(10),
                    "the last watcher left: the Wings socket is closed");
            onB.close();
        } finally {
            sampling.set(false);
            sampler.join();
        }
        long watchedSeconds = (System.nanoTime() - started) / 1_000_000_000;
        int opened = panel.openedWebsocketConnections(uuid) - openedBefore;
        long credentials = panel.state().requests().stream()
                .filter(r -> r.path().endsWith("/servers/" + panelServer.identifier() + "/websocket")).count();
        System.out.printf("watched %d s; Wings sockets opened %d, peak open at once %d (sampled %d); "
                + "credentials fetched %d%n", watchedSeconds, opened, panel.peakWebsocketConnections(uuid),
                sampledPeak.get(), credentials);
        assertTrue(watchedSeconds >= 60, "a watch of a minute: " + watchedSeconds);
        assertEquals(1, panel.peakWebsocketConnections(uuid), "never two Wings sockets for the server at once");
        assertEquals(1, sampledPeak.get());
        assertTrue(opened >= 2, "A's socket, then B's: " + opened);
        assertTrue(credentials >= opened + 2, "tokens renewed on open sockets (20 s lifetime over "
                + watchedSeconds + " s): " + credentials + " credentials for " + opened + " sockets");
    }

    /** Sends a command every few seconds for {@code duration}; each echo and fresh stats must arrive. */
    private static void keepTalking(LiveClient client, Duration duration, String where) {
        long until = System.nanoTime() + duration.toNanos();
        int round = 0;
        while (System.nanoTime() < until) {
            String line = "say keep-alive " + where + " " + (round++) + " " + UUID.randomUUID();
            assertEquals(204, b.exchange(HttpRequest.POST("/api/v1/servers/" + serverId + "/command",
                    Map.of("command", line)).bearerAuth(owner)).code());
            client.await(console(line), Duration.ofSeconds(10), "echo " + round + " " + where);
            client.await(LiveClient.type("stats"), Duration.ofSeconds(5), "stats " + where);
            sleep(Duration.ofSeconds(3));
        }
    }

    private static java.util.function.Predicate<JsonNode> console(String line) {
        return message -> "console".equals(message.path("type").asText())
                && message.path("line").asText().contains(line);
    }

    private static void expectError(LiveClient client, String id, String code) {
        JsonNode answer = client.await(message -> id.equals(message.path("id").asText()), Duration.ofSeconds(10),
                "the answer to " + id);
        assertEquals("error", answer.path("type").asText(), answer.toString());
        assertEquals(code, answer.path("code").asText(), answer.toString());
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertFalse(System.nanoTime() > deadline, "not in time: " + what);
            sleep(Duration.ofMillis(100));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
