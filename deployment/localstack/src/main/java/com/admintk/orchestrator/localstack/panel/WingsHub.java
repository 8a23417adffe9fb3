package com.admintk.orchestrator.localstack.panel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The Wings websocket: {@code /api/servers/{uuid}/ws}, frames {@code {"event","args"}}. Public only because Jetty needs public listener classes. */
public final class WingsHub {

    private final PanelEngine engine;
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    /** Per server uuid: the most sockets ever open at once, and how many were opened in all (for tests). */
    private final java.util.Map<String, Integer> peak = new ConcurrentHashMap<>();
    private final java.util.Map<String, Integer> opened = new ConcurrentHashMap<>();

    WingsHub(PanelEngine engine) {
        this.engine = engine;
    }

    /** Upgrade: 403 without the panel Origin, 404 for an unknown server, 502 when its node is dead. */
    WebSocketCreator creator() {
        return (req, resp, callback) -> {
            String path = req.getHttpURI().getPath();
            String uuid = path.substring("/api/servers/".length(), path.length() - "/ws".length());
            String origin = req.getHeaders().get("Origin");
            if (origin == null || !stripSlash(origin).equals(stripSlash(engine.publicUrl()))) {
                Response.writeError(req, resp, callback, 403, "origin mismatch");
                return null;
            }
            Integer nodeId;
            synchronized (engine.state) {
                SimState.Server s = engine.state.findServer(uuid);
                nodeId = s == null ? null : s.nodeId;
            }
            if (nodeId == null) {
                Response.writeError(req, resp, callback, 404, "server not found");
                return null;
            }
            if (engine.faults.isNodeDead(nodeId)) {
                Response.writeError(req, resp, callback, 502, "wings unreachable");
                return null;
            }
            return new Conn(uuid);
        };
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    int connectionCount(String uuid) {
        return (int) conns.stream().filter(c -> c.serverUuid.equals(uuid) && c.session != null && c.session.isOpen())
                .count();
    }

    int peakConnections(String uuid) {
        return peak.getOrDefault(uuid, 0);
    }

    int openedConnections(String uuid) {
        return opened.getOrDefault(uuid, 0);
    }

    int connectionCount() {
        return (int) conns.stream().filter(c -> c.session != null && c.session.isOpen()).count();
    }

    /** Drops every websocket connection abruptly (no close frame), so clients must reconnect. */
    void dropAll() {
        for (Conn c : new ArrayList<>(conns)) {
            if (c.session != null) c.session.disconnect();
            conns.remove(c);
        }
    }

    /** Closes every socket of a server (Wings: "server deleted"). */
    void closeServer(String uuid, String reason) {
        for (Conn c : new ArrayList<>(conns)) {
            if (c.serverUuid.equals(uuid) && c.session != null) {
                c.session.close(4001, reason, Callback.NOOP);
                conns.remove(c);
            }
        }
    }

    /** Sends an event to every authenticated socket of the server. */
    void broadcast(String uuid, String event, String... args) {
        for (Conn c : conns) {
            if (c.serverUuid.equals(uuid) && c.authed()) c.send(event, args);
        }
    }

    /** Called every ~100 ms: stats at the configured interval, token expiring/expired. */
    void tick() {
        Instant now = Instant.now();
        for (Conn c : conns) {
            if (c.session == null || !c.session.isOpen()) continue;
            WingsJwt.Claims claims = c.claims;
            if (claims == null) continue;
            long leftMs = claims.expiresAt().toEpochMilli() - now.toEpochMilli();
            if (leftMs <= 0) {
                c.claims = null;
                c.send("token expired");
                continue;
            }
            if (!c.expiringSent && leftMs <= engine.settings.tokenExpiringWarning.toMillis()) {
                c.expiringSent = true;
                c.send("token expiring");
            }
            if (now.toEpochMilli() - c.lastStatsMs >= engine.settings.statsInterval.toMillis()) {
                c.lastStatsMs = now.toEpochMilli();
                sendStats(c);
            }
        }
    }

    private void sendStats(Conn c) {
        String payload;
        synchronized (engine.state) {
            SimState.Server s = engine.state.findServer(c.serverUuid);
            if (s == null) return;
            payload = Json.write(engine.wingsStats(s));
        }
        c.send("stats", payload);
    }

    public final class Conn implements Session.Listener.AutoDemanding {
        final String serverUuid;
        volatile Session session;
        volatile WingsJwt.Claims claims;
        volatile boolean expiringSent;
        volatile long lastStatsMs;

        Conn(String serverUuid) {
            this.serverUuid = serverUuid;
        }

        boolean authed() {
            return claims != null && session != null && session.isOpen();
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            synchronized (peak) {
                conns.add(this);
                opened.merge(serverUuid, 1, Integer::sum);
                peak.merge(serverUuid, connectionCount(serverUuid), Math::max);
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            conns.remove(this);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            conns.remove(this);
        }

        @Override
        public void onWebSocketText(String message) {
            JsonNode frame;
            try {
                frame = Json.MAPPER.readTree(message);
            } catch (Exception e) {
                send("daemon error", errorEvent("could not parse the websocket frame"));
                return;
            }
            String event = frame.path("event").asText("");
            JsonNode args = frame.path("args");
            String arg0 = args.isArray() && args.size() > 0 && !args.get(0).isNull() ? args.get(0).asText() : null;
            if (event.equals("auth")) {
                auth(arg0);
                return;
            }
            if (!authed()) {
                send("jwt error", errorEvent("jwt: exp claim is invalid"));
                return;
            }
            switch (event) {
                case "send logs" -> sendLogs();
                case "send stats" -> sendStats(this);
                case "send command" -> {
                    if (arg0 != null) engine.consoleCommand(serverUuid, arg0);
                }
                case "set state" -> {
                    if (arg0 != null && List.of("start", "stop", "restart", "kill").contains(arg0)) {
                        engine.powerByUuid(serverUuid, arg0);
                    } else {
                        send("daemon error", errorEvent("invalid power action"));
                    }
                }
                default -> { /* Wings ignores unknown events */ }
            }
        }

        private void auth(String token) {
            WingsJwt.Claims c = engine.jwt.verify(token);
            if (c == null || !"websocket".equals(c.purpose()) || !c.serverUuid().equals(serverUuid)) {
                send("jwt error", errorEvent("jwt: signature is invalid"));
                return;
            }
            if (!c.expiresAt().isAfter(Instant.now())) {
                send("jwt error", errorEvent("jwt: exp claim is invalid"));
                return;
            }
            boolean first = claims == null;
            claims = c;
            expiringSent = false;
            send("auth success");
            String state;
            synchronized (engine.state) {
                SimState.Server s = engine.state.findServer(serverUuid);
                state = s == null ? "offline" : s.powerState;
            }
            send("status", state);
            if (first) lastStatsMs = 0;
        }

        private void sendLogs() {
            List<String> console;
            List<String> install;
            boolean installing;
            synchronized (engine.state) {
                SimState.Server s = engine.state.findServer(serverUuid);
                if (s == null) return;
                console = new ArrayList<>(s.console);
                install = new ArrayList<>(s.installLog);
                installing = s.installing();
            }
            if (installing) {
                for (String line : install) send("install output", line);
            } else {
                for (String line : console) send("console output", line);
            }
        }

        void send(String event, String... args) {
            Session s = session;
            if (s == null || !s.isOpen()) return;
            ObjectNode frame = Json.object();
            frame.put("event", event);
            if (args.length > 0) {
                ArrayNode a = frame.putArray("args");
                for (String x : args) a.add(x);
            }
            try {
                synchronized (this) {
                    s.sendText(Json.write(frame), Callback.NOOP);
                }
            } catch (RuntimeException ignored) {
                // socket closing
            }
        }
    }

    static String errorEvent(String message) {
        return "Error Event [" + UUID.randomUUID() + "]: " + message;
    }
}
