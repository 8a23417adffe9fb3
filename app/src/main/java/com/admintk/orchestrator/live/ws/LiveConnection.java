package com.admintk.orchestrator.live.ws;

import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.identity.SessionChecks;
import com.admintk.orchestrator.live.LiveViews;
import com.admintk.orchestrator.order.OrderViews;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.websocket.WebSocketSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * One browser's socket. Its messages are handled one at a time, in order, off the event loop. Until {@code auth}
 * succeeds it may only authenticate, and it is closed (4401) if it has not within the configured time. Afterwards
 * every message first re-reads the account and session ({@link SessionChecks}, the same rules as every REST request),
 * and so does a periodic check, which also ends watches of servers that were suspended or terminated meanwhile.
 * Servers and orders are checked for ownership exactly as the REST routes do, because they go through the same
 * services.
 */
final class LiveConnection {

    static final int MAX_MESSAGE_CHARS = 16 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(LiveConnection.class);
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            LiveProtocol.AUTH, Set.of("type", "id", "token"),
            LiveProtocol.SUBSCRIBE, Set.of("type", "id", "server", "order"),
            LiveProtocol.UNSUBSCRIBE, Set.of("type", "id", "server", "order"),
            LiveProtocol.COMMAND, Set.of("type", "id", "server", "command"),
            LiveProtocol.POWER, Set.of("type", "id", "server", "signal"),
            LiveProtocol.PING, Set.of("type", "id"));
    private static final Set<String> RUNNING_ORDER = Set.of("PROCESSING", "COMPENSATING");

    private final LiveSockets shared;
    private final WebSocketSession session;
    private final HttpRequest<?> upgrade;
    private final Outbox outbox;
    private final Map<String, ServerWatch> servers = new ConcurrentHashMap<>();
    private final Map<String, OrderWatch> orders = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private CompletableFuture<Void> queue = CompletableFuture.completedFuture(null);
    private volatile Authentication who;
    private volatile long expiresAtMillis;
    private volatile ScheduledFuture<?> authDeadline;
    private volatile ScheduledFuture<?> recheck;

    LiveConnection(LiveSockets shared, WebSocketSession session, HttpRequest<?> upgrade) {
        this.shared = shared;
        this.session = session;
        this.upgrade = upgrade;
        this.outbox = new Outbox(shared.settings.outboundLimit(), session::sendAsync, () -> {
            shared.slowConsumers.increment();
            LOG.info("Live socket {} does not read fast enough: closing it", session.getId());
            close(LiveProtocol.SLOW_CONSUMER, "SLOW_CONSUMER");
        });
    }

    void start() {
        run(() -> {
            if (!shared.withinRateLimit(upgrade)) {
                close(LiveProtocol.RATE_LIMITED, "RATE_LIMITED");
            }
        });
        // Queued behind the messages already received: an auth that arrived in time is judged, not cut short.
        authDeadline = shared.hub.scheduler().schedule(() -> run(() -> {
            if (who == null) {
                close(LiveProtocol.UNAUTHENTICATED, "AUTH_TIMEOUT");
            }
        }), shared.settings.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    void receive(String text) {
        run(() -> handle(text));
    }

    /** Handles work for this socket one piece at a time, on the blocking pool. */
    private synchronized void run(Runnable work) {
        queue = queue.thenRunAsync(() -> {
            if (!closed.get()) {
                work.run();
            }
        }, shared.blocking).exceptionally(failure -> {
            LOG.warn("Live socket {} failed to handle a message", session.getId(), failure);
            return null;
        });
    }

    // ---- messages ------------------------------------------------------------------------------------------------

    private void handle(String text) {
        JsonNode message;
        try {
            message = LiveProtocol.JSON.readTree(text);
        } catch (Exception unreadable) {
            send(LiveProtocol.error(null, "BAD_MESSAGE", "A message is one JSON object", Map.of()));
            return;
        }
        if (message == null || !message.isObject() || !message.path("type").isTextual()) {
            send(LiveProtocol.error(null, "BAD_MESSAGE", "A message is a JSON object with a type", Map.of()));
            return;
        }
        String type = message.get("type").asText();
        String id = message.path("id").isTextual() ? message.get("id").asText() : null;
        Set<String> allowed = FIELDS.get(type);
        if (allowed == null) {
            send(LiveProtocol.error(id, "UNKNOWN_TYPE", "Unknown message type",
                    Map.of("field", "type", "allowed", List.copyOf(FIELDS.keySet()))));
            return;
        }
        Optional<String> bad = badField(message, allowed);
        if (bad.isPresent()) {
            send(LiveProtocol.error(id, "BAD_MESSAGE", "Unknown or malformed field", Map.of("field", bad.get())));
            return;
        }
        if (type.equals(LiveProtocol.AUTH)) {
            authenticate(id, message.path("token").asText(null));
            return;
        }
        if (who == null) {
            send(LiveProtocol.error(id, "AUTH_REQUIRED", "Send {\"type\":\"auth\",\"token\":...} first", Map.of()));
            return;
        }
        if (!stillAllowed()) {
            return;
        }
        try {
            switch (type) {
                case LiveProtocol.SUBSCRIBE -> subscribe(id, message);
                case LiveProtocol.UNSUBSCRIBE -> unsubscribe(id, message);
                case LiveProtocol.COMMAND -> {
                    String server = required(message, "server");
                    shared.live.command(upgrade, who, server, new LiveViews.CommandRequest(
                            message.path("command").asText(null)));
                    ack(id, type, "server", server);
                }
                case LiveProtocol.POWER -> {
                    String server = required(message, "server");
                    shared.live.power(upgrade, who, server, new LiveViews.PowerRequest(
                            message.path("signal").asText(null)));
                    ack(id, type, "server", server);
                }
                default -> {
                    ObjectNode pong = LiveProtocol.message(LiveProtocol.PONG);
                    if (id != null) {
                        pong.put("id", id);
                    }
                    send(pong);
                }
            }
        } catch (ApiException refused) {
            send(LiveProtocol.error(id, refused.code(), refused.getMessage(), refused.details()));
        }
    }

    /** Strict input, as on REST: unknown fields, non-string values and odd ids are refused. */
    private static Optional<String> badField(JsonNode message, Set<String> allowed) {
        for (Iterator<String> names = message.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode value = message.get(name);
            if (!allowed.contains(name) || !value.isTextual()) {
                return Optional.of(name);
            }
            if (name.equals("id") && !CLIENT_ID.matcher(value.asText()).matches()) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static String required(JsonNode message, String field) {
        String value = message.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("BAD_MESSAGE", field + " is required", Map.of("field", field));
        }
        return value;
    }

    private void authenticate(String id, String token) {
        Optional<LiveSockets.Token> valid = shared.validate(token, upgrade);
        if (valid.isEmpty() || valid.get().expiresAtMillis() <= System.currentTimeMillis()) {
            close(LiveProtocol.UNAUTHENTICATED, "INVALID_TOKEN");
            return;
        }
        Authentication next = valid.get().who();
        if (who != null && !who.getName().equals(next.getName())) {
            send(LiveProtocol.error(id, "USER_MISMATCH", "A socket stays with the user it authenticated as",
                    Map.of()));
            return;
        }
        Optional<SessionChecks.Refusal> refusal = shared.checks.liveSession(next)
                .or(() -> shared.checks.secondFactor(next));
        if (refusal.isPresent()) {
            close(refusal.get().status().getCode() == 401 ? LiveProtocol.UNAUTHENTICATED : LiveProtocol.SESSION_ENDED,
                    refusal.get().code());
            return;
        }
        boolean first = who == null;
        who = next;
        expiresAtMillis = valid.get().expiresAtMillis();
        if (first) {
            ScheduledFuture<?> deadline = authDeadline;
            if (deadline != null) {
                deadline.cancel(false);
            }
            long every = shared.settings.recheckInterval().toMillis();
            recheck = shared.hub.scheduler().scheduleWithFixedDelay(() -> run(this::recheck), every, every,
                    TimeUnit.MILLISECONDS);
        }
        ObjectNode ready = LiveProtocol.message(LiveProtocol.AUTHENTICATED);
        if (id != null) {
            ready.put("id", id);
        }
        ready.put("userId", next.getName());
        ready.put("expiresAt", expiresAtMillis);
        send(ready);
    }

    /** The account and session still allow this socket; closes it otherwise. */
    private boolean stillAllowed() {
        if (System.currentTimeMillis() >= expiresAtMillis) {
            close(LiveProtocol.UNAUTHENTICATED, "TOKEN_EXPIRED");
            return false;
        }
        Optional<SessionChecks.Refusal> refusal = shared.checks.liveSession(who).or(() -> shared.checks.secondFactor(who));
        if (refusal.isPresent()) {
            close(refusal.get().status().getCode() == 401 ? LiveProtocol.UNAUTHENTICATED : LiveProtocol.SESSION_ENDED,
                    refusal.get().code());
            return false;
        }
        return true;
    }

    private void recheck() {
        if (!stillAllowed()) {
            return;
        }
        for (String serverId : List.copyOf(servers.keySet())) {
            shared.live.endOfWatch(serverId).ifPresent(reason -> ended(serverId, reason));
        }
    }

    // ---- servers -------------------------------------------------------------------------------------------------

    private void subscribe(String id, JsonNode message) {
        String server = message.path("server").asText(null);
        String order = message.path("order").asText(null);
        if ((server == null) == (order == null)) {
            throw ApiException.badRequest("BAD_MESSAGE", "Name either a server or an order",
                    Map.of("field", server == null ? "server" : "order"));
        }
        boolean already = server != null ? servers.containsKey(server) : orders.containsKey(order);
        if (!already && servers.size() + orders.size() >= shared.settings.maxSubscriptions()) {
            throw ApiException.badRequest("TOO_MANY_SUBSCRIPTIONS", "A socket watches at most "
                    + shared.settings.maxSubscriptions() + " servers and orders",
                    Map.of("max", shared.settings.maxSubscriptions()));
        }
        if (server != null) {
            watchServer(id, server);
        } else {
            watchOrder(id, order);
        }
    }

    private void watchServer(String id, String serverId) {
        shared.live.watchable(who, serverId); // 404 for someone else's server, 409 when it cannot be watched
        ServerWatch previous = servers.remove(serverId);
        if (previous != null) {
            shared.hub.unwatch(serverId, previous);
        }
        ServerWatch watch = new ServerWatch();
        servers.put(serverId, watch);
        try {
            shared.hub.watch(serverId, watch);
            ack(id, LiveProtocol.SUBSCRIBE, "server", serverId);
            watch.start(shared.hub.snapshot(serverId));
        } catch (RuntimeException redisDown) {
            servers.remove(serverId);
            shared.hub.unwatch(serverId, watch);
            LOG.warn("Could not watch server {}: {}", serverId, redisDown.toString());
            throw new ApiException(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE, "LIVE_UNAVAILABLE",
                    "Live events are unavailable right now; try again shortly");
        }
    }

    private void unsubscribe(String id, JsonNode message) {
        String server = message.path("server").asText(null);
        String order = message.path("order").asText(null);
        if (server != null) {
            ServerWatch watch = servers.remove(server);
            if (watch != null) {
                shared.hub.unwatch(server, watch);
            }
        }
        if (order != null) {
            OrderWatch watch = orders.remove(order);
            if (watch != null) {
                watch.stop();
            }
        }
        ack(id, LiveProtocol.UNSUBSCRIBE, server != null ? "server" : "order", server != null ? server : order);
    }

    private void ended(String serverId, String reason) {
        ServerWatch watch = servers.remove(serverId);
        if (watch == null) {
            return;
        }
        shared.hub.unwatch(serverId, watch);
        ObjectNode end = LiveProtocol.message(LiveProtocol.ENDED);
        end.put("server", serverId);
        end.put("reason", reason);
        send(end);
        if (servers.isEmpty() && orders.isEmpty()) {
            close(LiveProtocol.SERVER_GONE, reason);
        }
    }

    /**
     * One server watched by this socket. Events that arrive before the snapshot went out wait behind it, so the
     * client always sees the snapshot first (an event may then repeat what the snapshot already showed).
     */
    private final class ServerWatch implements LiveHub.Watcher {
        private List<String> early = new ArrayList<>();

        synchronized void start(ObjectNode snapshot) {
            send(snapshot);
            for (String event : early) {
                outbox.offer(event);
            }
            early = null;
        }

        @Override
        public void deliver(String serverId, String event) {
            synchronized (this) {
                if (early != null) {
                    early.add(event);
                    return;
                }
            }
            outbox.offer(event);
        }

        @Override
        public void ended(String serverId, String reason) {
            run(() -> LiveConnection.this.ended(serverId, reason));
        }
    }

    // ---- orders --------------------------------------------------------------------------------------------------

    private void watchOrder(String id, String orderId) {
        OrderViews.Order view = shared.orders.get(who, orderId); // 404 for someone else's order
        OrderWatch previous = orders.remove(orderId);
        if (previous != null) {
            previous.stop();
        }
        OrderWatch watch = new OrderWatch(orderId);
        orders.put(orderId, watch);
        ack(id, LiveProtocol.SUBSCRIBE, "order", orderId);
        watch.publish(view, LiveProtocol.SNAPSHOT);
        if (RUNNING_ORDER.contains(view.status())) {
            watch.poll();
        }
    }

    /** An order's saga progress: read from the workflow while it runs (the same view as GET /orders/{id}). */
    private final class OrderWatch {
        private final String orderId;
        private volatile String last;
        private volatile ScheduledFuture<?> timer;

        OrderWatch(String orderId) {
            this.orderId = orderId;
        }

        void poll() {
            long every = shared.settings.orderPoll().toMillis();
            timer = shared.hub.scheduler().scheduleWithFixedDelay(() -> run(this::read), every, every,
                    TimeUnit.MILLISECONDS);
        }

        private void read() {
            if (orders.get(orderId) != this) {
                return;
            }
            OrderViews.Order view;
            try {
                view = shared.orders.get(who, orderId);
            } catch (RuntimeException unavailable) {
                LOG.debug("Order {} progress unavailable: {}", orderId, unavailable.toString());
                return;
            }
            publish(view, LiveProtocol.ORDER);
            if (!RUNNING_ORDER.contains(view.status())) {
                stop();
            }
        }

        void publish(OrderViews.Order view, String type) {
            String data;
            try {
                data = shared.json.writeValueAsString(view);
            } catch (java.io.IOException unwritable) {
                throw new IllegalStateException(unwritable);
            }
            if (data.equals(last)) {
                return;
            }
            last = data;
            ObjectNode message = LiveProtocol.message(type);
            message.put("order", orderId);
            try {
                message.set("data", LiveProtocol.JSON.readTree(data));
            } catch (java.io.IOException unreadable) {
                throw new IllegalStateException(unreadable);
            }
            send(message);
        }

        void stop() {
            ScheduledFuture<?> current = timer;
            if (current != null) {
                current.cancel(false);
            }
        }
    }

    // ---- sending and closing -------------------------------------------------------------------------------------

    private void ack(String id, String action, String field, String value) {
        ObjectNode ack = LiveProtocol.message(LiveProtocol.ACK);
        if (id != null) {
            ack.put("id", id);
        }
        ack.put("action", action);
        ack.put(field, value);
        send(ack);
    }

    private void send(ObjectNode message) {
        outbox.offer(message.toString());
    }

    void close(int code, String reason) {
        if (closed.compareAndSet(false, true)) {
            try {
                session.close(LiveSockets.reason(code, reason));
            } catch (RuntimeException alreadyGone) {
                // the peer went first
            }
            release();
        }
    }

    /** The socket closed (either side). */
    void closed() {
        closed.set(true);
        release();
    }

    private void release() {
        ScheduledFuture<?> deadline = authDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        ScheduledFuture<?> every = recheck;
        if (every != null) {
            every.cancel(false);
        }
        for (Map.Entry<String, ServerWatch> watch : Map.copyOf(servers).entrySet()) {
            if (servers.remove(watch.getKey(), watch.getValue())) {
                try {
                    shared.hub.unwatch(watch.getKey(), watch.getValue());
                } catch (RuntimeException hubStopping) {
                    // the instance is stopping: its share expires in Redis by itself
                }
            }
        }
        for (OrderWatch watch : List.copyOf(orders.values())) {
            watch.stop();
        }
        orders.clear();
    }
}
