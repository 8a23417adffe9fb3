package com.admintk.orchestrator.pterodactyl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One server's Wings websocket. Connects to the socket URL of fresh credentials with {@code Origin} = panel URL
 * (Wings answers 403 without it), authenticates, re-authenticates on {@code token expiring}/{@code token expired}
 * with new credentials on the same socket, delivers typed {@link WingsEvent}s, and reconnects with exponential
 * backoff when the connection drops, until {@link #close()} or until Wings says the server was deleted.
 *
 * <p>A connection that goes quiet is not trusted: a ping goes out every {@code heartbeat}, and when nothing (pong,
 * stats, anything) has come back for two heartbeats the socket is aborted and re-established. Without it a peer that
 * vanished without a FIN or a close frame (node crash, NAT timeout, a dropped connection whose EOF never arrived)
 * leaves the client "connected" forever.
 *
 * <p>Credentials come from a supplier (normally {@code () -> panelClient.websocketCredentials(identifier)}) because
 * tokens live 10 minutes and every (re)connect needs a new one.
 */
public final class WingsSocketClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WingsSocketClient.class);

    private final String origin;
    private final Supplier<Panel.WebsocketCredentials> credentials;
    private final Consumer<WingsEvent> listener;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration heartbeat;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;

    private volatile WebSocket socket;
    private volatile boolean closed;
    private volatile boolean authenticated;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private Duration backoff;
    private volatile long lastHeardNanos = System.nanoTime();
    private final CompletableFuture<Void> firstAuth = new CompletableFuture<>();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    public WingsSocketClient(String panelUrl, Supplier<Panel.WebsocketCredentials> credentials,
                             Consumer<WingsEvent> listener) {
        this(panelUrl, credentials, listener, Duration.ofMillis(500), Duration.ofSeconds(30));
    }

    public WingsSocketClient(String panelUrl, Supplier<Panel.WebsocketCredentials> credentials,
                             Consumer<WingsEvent> listener, Duration initialBackoff, Duration maxBackoff) {
        this(panelUrl, credentials, listener, initialBackoff, maxBackoff, Duration.ofSeconds(15));
    }

    /** {@code heartbeat}: how often to ping; two heartbeats without any frame from Wings count as a dead link. */
    public WingsSocketClient(String panelUrl, Supplier<Panel.WebsocketCredentials> credentials,
                             Consumer<WingsEvent> listener, Duration initialBackoff, Duration maxBackoff,
                             Duration heartbeat) {
        this.heartbeat = heartbeat;
        this.origin = panelUrl.endsWith("/") ? panelUrl.substring(0, panelUrl.length() - 1) : panelUrl;
        this.credentials = credentials;
        this.listener = listener;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.backoff = initialBackoff;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "wings-socket");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts connecting; the future completes at the first {@code auth success}. */
    public CompletableFuture<Void> connect() {
        scheduler.execute(this::open);
        scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
        return firstAuth;
    }

    public boolean authenticated() {
        return authenticated;
    }

    /** {@code send command}: a console line; Wings ignores it unless the server is running. */
    public CompletableFuture<?> sendCommand(String command) {
        return send(WingsEvent.frame("send command", command));
    }

    /** {@code set state}: start, stop, restart or kill. */
    public CompletableFuture<?> setState(Panel.PowerSignal signal) {
        return send(WingsEvent.frame("set state", signal.name()));
    }

    /** Asks Wings to replay recent console lines. */
    public CompletableFuture<?> requestLogs() {
        return send(WingsEvent.frame("send logs", null));
    }

    /** Asks Wings for a stats frame now. */
    public CompletableFuture<?> requestStats() {
        return send(WingsEvent.frame("send stats", null));
    }

    @Override
    public void close() {
        closed = true;
        WebSocket current = socket;
        if (current != null) {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        } else {
            gone.complete(null);
        }
        scheduler.shutdownNow();
    }

    /**
     * Closes, and waits up to {@code timeout} for Wings to answer the close: for a caller that hands the server's
     * socket to another process and must not have two open at once. False when Wings did not answer in time (the
     * socket is aborted then).
     */
    public boolean closeAndWait(Duration timeout) {
        close();
        try {
            gone.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException silent) {
            WebSocket current = socket;
            if (current != null) {
                current.abort();
            }
            return false;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException impossible) {
            return true;
        }
    }

    private void open() {
        if (closed) {
            return;
        }
        Panel.WebsocketCredentials creds;
        try {
            creds = credentials.get();
        } catch (RuntimeException e) {
            LOG.warn("Wings credentials unavailable: {}", e.toString());
            reconnectLater();
            return;
        }
        http.newWebSocketBuilder()
                .header("Origin", origin)
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(creds.socket()), new Listener())
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        LOG.warn("Wings connect to {} failed: {}", creds.socket(), error.toString());
                        reconnectLater();
                        return;
                    }
                    lastHeardNanos = System.nanoTime();
                    socket = ws;
                    synchronized (this) {
                        sending = CompletableFuture.completedFuture(null);
                    }
                    emit(new WingsEvent.Connected());
                    send(WingsEvent.frame("auth", creds.token()));
                });
    }

    /** Pings; aborts and reconnects a socket that has not said anything for two heartbeats. */
    private void heartbeat() {
        WebSocket current = socket;
        if (current == null || closed) {
            return;
        }
        if (System.nanoTime() - lastHeardNanos > heartbeat.multipliedBy(2).toNanos()) {
            LOG.warn("Wings socket silent for {} ms: reconnecting",
                    (System.nanoTime() - lastHeardNanos) / 1_000_000);
            current.abort();
            connectionLost(current, 1006, "no answer from Wings");
            return;
        }
        try {
            current.sendPing(ByteBuffer.allocate(0)).exceptionally(e -> {
                connectionLost(current, 1006, "ping failed: " + e);
                return null;
            });
        } catch (RuntimeException pingPending) {
            // the previous ping is still going out: the silence check above covers a stuck link
        }
    }

    /** The socket is gone (closed, failed, or judged dead): tell the listener once, reconnect unless deleted. */
    private void connectionLost(WebSocket ws, int code, String reason) {
        synchronized (this) {
            if (ws != socket) {
                return;
            }
            socket = null;
        }
        authenticated = false;
        if (closed) {
            gone.complete(null);
        }
        emit(new WingsEvent.Disconnected(code, reason));
        // Wings closes the socket for good when the server is deleted: reconnecting would only get 404s.
        boolean deleted = reason != null && reason.toLowerCase().contains("deleted");
        if (!closed && !deleted) {
            reconnectLater();
        }
    }

    private void reauthenticate() {
        scheduler.execute(() -> {
            try {
                send(WingsEvent.frame("auth", credentials.get().token()));
            } catch (RuntimeException e) {
                LOG.warn("Wings re-auth: no fresh credentials: {}", e.toString());
            }
        });
    }

    private void reconnectLater() {
        authenticated = false;
        if (closed || scheduler.isShutdown()) {
            return;
        }
        Duration delay;
        synchronized (this) {
            delay = backoff;
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
        try {
            scheduler.schedule(this::open, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // closed meanwhile
        }
    }

    /** The JDK socket allows one outstanding send: chain them. */
    private synchronized CompletableFuture<?> send(String frame) {
        WebSocket current = socket;
        if (current == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Wings socket not connected"));
        }
        sending = sending.exceptionally(e -> null).thenCompose(x -> current.sendText(frame, true));
        return sending;
    }

    private void emit(WingsEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.warn("Wings event listener failed on {}", event, e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            lastHeardNanos = System.nanoTime();
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                handle(frame);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            lastHeardNanos = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            lastHeardNanos = System.nanoTime();
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            lastHeardNanos = System.nanoTime();
            ws.request(1);
            return null; // the JDK answers the pong itself
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            dropped(ws, statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            dropped(ws, -1, String.valueOf(error));
        }

        private void handle(String frame) {
            WingsEvent event;
            try {
                event = WingsEvent.decode(frame);
            } catch (RuntimeException malformed) {
                LOG.warn("Unreadable Wings frame: {}", frame);
                return;
            }
            if (event instanceof WingsEvent.AuthSuccess) {
                authenticated = true;
                synchronized (WingsSocketClient.this) {
                    backoff = initialBackoff;
                }
                firstAuth.complete(null);
            } else if (event instanceof WingsEvent.TokenExpiring || event instanceof WingsEvent.TokenExpired) {
                reauthenticate();
            }
            emit(event);
        }

        private void dropped(WebSocket ws, int code, String reason) {
            connectionLost(ws, code, reason);
        }
    }
}
