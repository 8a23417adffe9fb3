package com.admintk.orchestrator.pterodactyl;

import com.fasterxml.jackson.databind.JsonNode;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The Wings socket client against a small fake Wings speaking the fixtures' frames. */
class WingsSocketClientTest {

    private static final String PANEL_URL = "https://panel.example.test";

    private FakeWings wings;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<WingsEvent> events = new CopyOnWriteArrayList<>();
    private WingsSocketClient client;

    @BeforeEach
    void start() throws Exception {
        wings = new FakeWings();
        wings.start();
        assertTrue(wings.started.await(5, TimeUnit.SECONDS));
        // a short heartbeat: a dropped connection whose EOF never reaches the client is still noticed in < 1 s
        client = new WingsSocketClient(PANEL_URL + "/", this::credentials, events::add, Duration.ofMillis(100),
                Duration.ofSeconds(1), Duration.ofMillis(300));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        wings.stop(1000);
    }

    /** What {@code PanelClient.websocketCredentials} would hand out: a new token each time. */
    private Panel.WebsocketCredentials credentials() {
        String token = "token-" + issued.incrementAndGet();
        wings.validTokens.add(token);
        return new Panel.WebsocketCredentials(token, "ws://127.0.0.1:" + wings.getPort() + "/api/servers/uuid/ws");
    }

    @Test
    void receivesStatsAndConsoleSendsCommandsSurvivesTokenExpiryAndReconnectsAfterADrop() throws Exception {
        client.connect().get(5, TimeUnit.SECONDS);

        // auth with the Origin header Wings demands
        assertEquals(PANEL_URL, wings.origins.get(0));
        assertEquals(List.of("token-1"), wings.auths);
        await("status and stats", () -> events.contains(new WingsEvent.Status("running"))
                && events.stream().anyMatch(e -> e instanceof WingsEvent.Stats s
                && s.stats().memoryBytes() == 2147483648L && s.stats().network().txBytes() == 337600L));

        // command and state
        client.sendCommand("say hi");
        await("console echo", () -> events.contains(new WingsEvent.ConsoleOutput("> say hi")));
        client.setState(Panel.PowerSignal.restart);
        await("set state", () -> wings.states.contains("restart"));

        // token expiring: fresh credentials, auth again on the same socket
        wings.broadcast("{\"event\":\"token expiring\"}");
        await("re-auth", () -> wings.auths.contains("token-2"));
        assertEquals(1, wings.connections.get());
        assertTrue(events.stream().anyMatch(e -> e instanceof WingsEvent.TokenExpiring));

        // Wings drops the connection: reconnect with backoff, new credentials, authenticated again
        // Going away (1001) as Wings sends when it restarts; an abrupt TCP drop is covered against the simulator.
        wings.getConnections().forEach(c -> c.close(1001, "node restarting"));
        try {
            // At least one new connection authenticated with fresh credentials (a reconnect that races the
            // drop may take two attempts, so do not insist on exactly one).
            await("reconnect", () -> wings.connections.get() >= 2 && wings.auths.size() >= 3
                    && !wings.auths.get(wings.auths.size() - 1).equals("token-2"));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " connections=" + wings.connections.get() + " auths=" + wings.auths + " events=" + events, e);
        }
        await("auth success again", () -> events.stream().filter(e -> e instanceof WingsEvent.AuthSuccess)
                .count() >= 2);
        assertTrue(events.stream().anyMatch(e -> e instanceof WingsEvent.Disconnected));
        assertEquals(PANEL_URL, wings.origins.get(1));
        client.sendCommand("list");
        await("console after reconnect", () -> events.contains(new WingsEvent.ConsoleOutput("> list")));
    }

    @Test
    void aDeletedServerIsNotReconnected() throws Exception {
        client.connect().get(5, TimeUnit.SECONDS);
        wings.getConnections().forEach(c -> c.close(4409, "server deleted"));
        await("disconnected", () -> events.stream().anyMatch(e -> e instanceof WingsEvent.Disconnected));
        Thread.sleep(600);
        assertEquals(1, wings.connections.get());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        fail("timed out waiting for " + what);
    }

    /** Wings as far as this client cares: Origin check, auth, stats, command echo, set state. */
    static final class FakeWings extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        final List<String> validTokens = new CopyOnWriteArrayList<>();
        final List<String> auths = new CopyOnWriteArrayList<>();
        final List<String> origins = new CopyOnWriteArrayList<>();
        final List<String> states = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();

        FakeWings() {
            super(new InetSocketAddress("127.0.0.1", 0));
            setReuseAddr(true);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            String origin = handshake.getFieldValue("Origin");
            origins.add(origin);
            connections.incrementAndGet();
            if (!PANEL_URL.equals(origin)) {
                conn.close(4003, "origin not allowed"); // Wings answers 403
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            JsonNode frame = PanelJson.tree(message);
            String arg = frame.path("args").path(0).asText(null);
            switch (frame.path("event").asText()) {
                case "auth" -> {
                    auths.add(arg);
                    if (!validTokens.contains(arg)) {
                        conn.send("{\"event\":\"jwt error\",\"args\":[\"bad token\"]}");
                        return;
                    }
                    conn.send("{\"event\":\"auth success\"}");
                    conn.send("{\"event\":\"status\",\"args\":[\"running\"]}");
                    JsonNode frames = PanelJson.tree(Fixtures.read("wings_ws_frames.json"));
                    conn.send(frames.get("s2c_stats").toString());
                }
                case "send command" -> conn.send(WingsEvent.frame("console output", "> " + arg));
                case "set state" -> {
                    states.add(arg);
                    conn.send("{\"event\":\"status\",\"args\":[\"stopping\"]}");
                }
                default -> { }
            }
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
        }

        @Override
        public void onStart() {
            started.countDown();
        }
    }
}
