package com.admintk.orchestrator.live.ws;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.identity.SessionChecks;
import com.admintk.orchestrator.live.LiveServerService;
import com.admintk.orchestrator.order.OrderService;
import com.admintk.orchestrator.security.ClientIp;
import com.admintk.orchestrator.security.RateLimitSettings;
import com.admintk.orchestrator.security.RateLimiter;
import com.admintk.orchestrator.security.RoutePaths;
import com.nimbusds.jwt.JWTParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The open live sockets of this instance and what they share: the hub, the services they call (the same as the
 * REST routes'), the token validation, and a pool for their blocking work. On shutdown every socket is closed with
 * 1001 first, so browsers reconnect to another instance while this one hands its Wings sockets over.
 */
@io.micronaut.context.annotation.Context
@Requires(condition = ServesApi.class)
@Requires(property = "panel.url")
public class LiveSockets implements GracefulShutdownCapable, Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(LiveSockets.class);

    final LiveHub hub;
    final LiveSocketSettings settings;
    final LiveServerService live;
    final OrderService orders;
    final SessionChecks checks;
    final JsonMapper json;
    final ExecutorService blocking;
    final Counter slowConsumers;
    private final RateLimiter limiter;
    private final RateLimitSettings limits;
    private final ClientIp clientIp;
    private final Collection<TokenValidator<HttpRequest<?>>> validators;
    private final Map<String, LiveConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, List<String>> unopened = new ConcurrentHashMap<>();

    public LiveSockets(LiveHub hub, LiveSocketSettings settings, LiveServerService live, OrderService orders,
                       SessionChecks checks, JsonMapper json, Collection<TokenValidator<HttpRequest<?>>> validators,
                       @Named(TaskExecutors.BLOCKING) ExecutorService blocking, MeterRegistry metrics,
                       RateLimiter limiter, RateLimitSettings limits, ClientIp clientIp) {
        this.limiter = limiter;
        this.limits = limits;
        this.clientIp = clientIp;
        this.hub = hub;
        this.settings = settings;
        this.live = live;
        this.orders = orders;
        this.checks = checks;
        this.json = json;
        this.validators = validators;
        this.blocking = blocking;
        this.slowConsumers = metrics.counter("live_socket_slow_consumers_total");
        metrics.gaugeMapSize("live_sockets", List.of(), connections);
    }

    void opened(WebSocketSession session, HttpRequest<?> request) {
        LiveConnection connection = new LiveConnection(this, session, request);
        List<String> early;
        synchronized (connections) {
            connections.put(session.getId(), connection);
            early = unopened.remove(session.getId());
        }
        connection.start();
        if (early != null) {
            early.forEach(connection::receive);
        }
    }

    void received(WebSocketSession session, String message) {
        LiveConnection connection;
        synchronized (connections) {
            connection = connections.get(session.getId());
            if (connection == null) {
                // the first frame can overtake the open callback: keep it for the connection (bounded)
                List<String> early = unopened.computeIfAbsent(session.getId(), id -> new java.util.ArrayList<>());
                if (early.size() < 16) {
                    early.add(message);
                }
                return;
            }
        }
        connection.receive(message);
    }

    void closed(WebSocketSession session) {
        unopened.remove(session.getId());
        LiveConnection connection = connections.remove(session.getId());
        if (connection != null) {
            connection.closed();
        }
    }

    void failed(WebSocketSession session, Throwable error) {
        LOG.debug("Live socket {} failed: {}", session.getId(), error.toString());
        closed(session);
    }

    /**
     * The per-address budget of the HTTP API, spent once per socket opened (the upgrade skips the HTTP rate-limit
     * filter, see {@link RoutePaths#ALL_BUT_LIVE_SOCKET}). Blocking (Redis).
     */
    boolean withinRateLimit(HttpRequest<?> upgrade) {
        if (!limits.isEnabled()) {
            return true;
        }
        RateLimiter.Decision decision = limiter.tryConsume("ip", ClientIp.rateLimitKey(clientIp.of(upgrade)),
                limits.getPerIpPerMinute());
        return decision == null || decision.allowed();
    }

    /** A valid, unexpired access token of ours: who it names and until when; empty otherwise. */
    Optional<Token> validate(String token, HttpRequest<?> request) {
        if (token == null || token.isBlank() || token.length() > 8192) {
            return Optional.empty();
        }
        for (TokenValidator<HttpRequest<?>> validator : validators) {
            Authentication who;
            try {
                who = Flux.from(validator.validateToken(token, request)).blockFirst(Duration.ofSeconds(5));
            } catch (RuntimeException invalid) {
                who = null;
            }
            if (who != null) {
                return Optional.of(new Token(who, expiry(token)));
            }
        }
        return Optional.empty();
    }

    record Token(Authentication who, long expiresAtMillis) {
    }

    private static long expiry(String token) {
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            return exp == null ? Long.MAX_VALUE : exp.getTime();
        } catch (java.text.ParseException unreadable) {
            return 0;
        }
    }

    /** Before the HTTP server's own graceful shutdown, which drops open sockets without a close frame. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /**
     * The instance is stopping: every socket is closed with 1001 while the server still runs, so browsers reconnect
     * to another instance; the stop waits (briefly) until the close frames are out.
     */
    @Override
    public CompletionStage<?> shutdownGracefully() {
        goingAway();
        return CompletableFuture.completedFuture(null);
    }

    @PreDestroy
    void goingAway() {
        if (connections.isEmpty()) {
            return;
        }
        LOG.info("Stopping: closing {} live socket(s) with {}", connections.size(), LiveProtocol.GOING_AWAY);
        for (LiveConnection connection : List.copyOf(connections.values())) {
            connection.close(LiveProtocol.GOING_AWAY, "SERVER_RESTARTING");
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static CloseReason reason(int code, String phrase) {
        return new CloseReason(code, phrase);
    }
}
