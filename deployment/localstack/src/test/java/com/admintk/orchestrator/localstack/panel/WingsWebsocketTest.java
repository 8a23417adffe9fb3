package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WingsWebsocketTest {
    static PanelSimulator sim;
    static SimHttp http;
    final List<Ws> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        sim = new PanelSimulator(PanelSimulator.config().installTime(Duration.ofMillis(600))
                .statsInterval(Duration.ofMillis(200)).powerTransition(Duration.ofMillis(50))
                .tokenLifetime(Duration.ofMinutes(10)).build()).start();
        http = new SimHttp(sim);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void reset() {
        sim.reset();
        sim.settings().tokenLifetime(Duration.ofMinutes(10)).tokenExpiringWarning(Duration.ofSeconds(60));
    }

    @AfterEach
    void closeSockets() {
        for (Ws w : opened) w.ws.abort();
    }

    /** A websocket client collecting frames. */
    static final class Ws implements WebSocket.Listener {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(SimHttp.M.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        void send(String event, String... args) {
            ObjectNode f = SimHttp.M.createObjectNode().put("event", event);
            var a = f.putArray("args");
            for (String x : args) a.add(x);
            ws.sendText(SimHttp.write(f), true).join();
        }

        /** Waits for the next frame with this event, skipping others. */
        JsonNode await(String event, Duration max) throws InterruptedException {
            long end = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < end) {
                JsonNode f = frames.poll(Math.max(1, (end - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (f != null && f.path("event").asText().equals(event)) return f;
            }
            throw new AssertionError("no '" + event + "' frame within " + max);
        }

        JsonNode awaitConsole(String line, Duration max) throws InterruptedException {
            long end = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < end) {
                JsonNode f = await("console output", Duration.ofNanos(Math.max(1, end - System.nanoTime())));
                if (f.at("/args/0").asText().equals(line)) return f;
            }
            throw new AssertionError("no console line '" + line + "'");
        }
    }

    Ws connect(String socketUrl, String origin) {
        Ws w = new Ws();
        var b = http.client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (origin != null) b.header("Origin", origin);
        w.ws = b.buildAsync(URI.create(socketUrl), w).join();
        opened.add(w);
        return w;
    }

    String createInstalledServer(String ext) throws InterruptedException {
        ObjectNode body = PanelBehaviourTest.paperBody(ext, 1000);
        int id = http.app("POST", "/servers", body).json().at("/attributes/id").asInt();
        SimHttp.awaitInstalled(sim, id, Duration.ofSeconds(5));
        return sim.state().server(id).orElseThrow().identifier();
    }

    JsonNode credentials(String ident) {
        SimHttp.Res r = http.client("GET", "/servers/" + ident + "/websocket", null);
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    @Test
    void websocketWithoutThePanelOriginIsRejectedWith403() throws Exception {
        String ident = createInstalledServer("ws-origin");
        String socket = credentials(ident).get("socket").asText();
        assertTrue(socket.startsWith("ws://localhost:" + sim.port() + "/api/servers/"), socket);
        for (String origin : new String[]{null, "http://evil.example.com"}) {
            CompletionException e = assertThrows(CompletionException.class, () -> connect(socket, origin));
            WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
            assertEquals(403, h.getResponse().statusCode());
        }
        assertNotNull(connect(socket, sim.baseUrl()).ws);
    }

    @Test
    void authGivesAuthSuccessStatusAndPeriodicStats() throws Exception {
        String ident = createInstalledServer("ws-auth");
        JsonNode cred = credentials(ident);
        Ws w = connect(cred.get("socket").asText(), sim.baseUrl());
        w.send("auth", cred.get("token").asText());
        assertTrue(w.await("auth success", Duration.ofSeconds(2)).path("args").isMissingNode());
        assertEquals("offline", w.await("status", Duration.ofSeconds(2)).at("/args/0").asText());
        JsonNode stats = w.await("stats", Duration.ofSeconds(2));
        JsonNode payload = SimHttp.M.readTree(stats.at("/args/0").asText());
        assertEquals(SimHttp.keyPaths(SimHttp.fixture("wings_ws_stats_payload_decoded.json")), SimHttp.keyPaths(payload));
        w.await("stats", Duration.ofSeconds(2)); // periodic
    }

    @Test
    void setStateStartsTheServerAndCommandsEchoAsConsoleOutput() throws Exception {
        String ident = createInstalledServer("ws-cmd");
        JsonNode cred = credentials(ident);
        Ws w = connect(cred.get("socket").asText(), sim.baseUrl());
        w.send("auth", cred.get("token").asText());
        w.await("auth success", Duration.ofSeconds(2));
        assertEquals("offline", w.await("status", Duration.ofSeconds(2)).at("/args/0").asText());
        w.send("set state", "start");
        assertEquals("starting", w.await("status", Duration.ofSeconds(2)).at("/args/0").asText());
        assertEquals("running", w.await("status", Duration.ofSeconds(2)).at("/args/0").asText());
        w.send("send command", "say hello");
        w.awaitConsole("say hello", Duration.ofSeconds(2));
        assertEquals(204, http.client("POST", "/servers/" + ident + "/command", Map.of("command", "list")).status());
        w.awaitConsole("list", Duration.ofSeconds(2));
        w.send("send logs");
        w.awaitConsole("say hello", Duration.ofSeconds(2));
        JsonNode running = SimHttp.M.readTree(w.await("stats", Duration.ofSeconds(2)).at("/args/0").asText());
        assertEquals("running", running.get("state").asText());
    }

    @Test
    void tokenExpiringThenExpiredAndReauthOnTheSameSocketWorks() throws Exception {
        String ident = createInstalledServer("ws-token");
        sim.settings().tokenLifetime(Duration.ofMillis(1500)).tokenExpiringWarning(Duration.ofMillis(1000));
        JsonNode cred = credentials(ident);
        Ws w = connect(cred.get("socket").asText(), sim.baseUrl());
        w.send("auth", cred.get("token").asText());
        w.await("auth success", Duration.ofSeconds(2));
        w.await("token expiring", Duration.ofSeconds(2));
        w.await("token expired", Duration.ofSeconds(3));
        w.send("send stats");
        w.await("jwt error", Duration.ofSeconds(2));
        sim.settings().tokenLifetime(Duration.ofMinutes(10));
        w.send("auth", credentials(ident).get("token").asText());
        w.await("auth success", Duration.ofSeconds(2));
        w.await("stats", Duration.ofSeconds(2));
    }

    @Test
    void droppedConnectionsCanReconnect() throws Exception {
        String ident = createInstalledServer("ws-drop");
        JsonNode cred = credentials(ident);
        Ws w = connect(cred.get("socket").asText(), sim.baseUrl());
        w.send("auth", cred.get("token").asText());
        w.await("auth success", Duration.ofSeconds(2));
        assertEquals(1, sim.websocketConnections());
        assertEquals(200, http.call("POST", "/_sim/websockets/drop", null, null).status());
        w.closed.get(3, TimeUnit.SECONDS);
        Ws again = connect(cred.get("socket").asText(), sim.baseUrl());
        again.send("auth", cred.get("token").asText());
        again.await("auth success", Duration.ofSeconds(2));
    }

    @Test
    void installingServersStreamInstallOutputAndCompletion() throws Exception {
        int id = http.app("POST", "/servers", PanelBehaviourTest.paperBody("ws-install", 1000)).json().at("/attributes/id").asInt();
        String ident = sim.state().server(id).orElseThrow().identifier();
        JsonNode cred = credentials(ident); // root admins may open the console while installing
        Ws w = connect(cred.get("socket").asText(), sim.baseUrl());
        w.send("auth", cred.get("token").asText());
        w.await("auth success", Duration.ofSeconds(2));
        assertTrue(w.await("install output", Duration.ofSeconds(2)).at("/args/0").isTextual());
        w.await("install completed", Duration.ofSeconds(3));
    }

    @Test
    void deletingTheServerClosesItsSockets() throws Exception {
        String ident = createInstalledServer("ws-del");
        JsonNode cred = credentials(ident);
        Ws w = connect(cred.get("socket").asText(), sim.baseUrl());
        w.send("auth", cred.get("token").asText());
        w.await("auth success", Duration.ofSeconds(2));
        int id = sim.state().servers().get(0).id();
        assertEquals(204, http.app("DELETE", "/servers/" + id, null).status());
        assertEquals(4001, w.closed.get(3, TimeUnit.SECONDS));
    }
}
