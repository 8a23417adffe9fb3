package com.admintk.orchestrator.live.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A browser's side of {@code /api/v1/ws}, on the JDK's WebSocket client: sends JSON, collects what comes back. */
final class LiveClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Closed(int code, String reason) {
    }

    private final WebSocket socket;
    private final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();

    private LiveClient(URL base) {
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/api/v1/ws");
        this.socket = HTTP.newWebSocketBuilder().buildAsync(uri, new Listener()).join();
    }

    static LiveClient connect(URL base) {
        return new LiveClient(base);
    }

    /** Connects and authenticates; fails unless the answer is {@code authenticated}. */
    static LiveClient authenticated(URL base, String token) {
        LiveClient client = new LiveClient(base);
        client.send(Map.of("type", "auth", "token", token));
        JsonNode ready = client.next(Duration.ofSeconds(10));
        if (!"authenticated".equals(ready.path("type").asText())) {
            throw new AssertionError("not authenticated: " + ready);
        }
        return client;
    }

    void send(Map<String, ?> message) {
        try {
            sendText(JSON.writeValueAsString(message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    synchronized void sendText(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message, or an AssertionError after {@code timeout}. */
    JsonNode next(Duration timeout) {
        try {
            JsonNode message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + timeout + "; closed: " + closed.getNow(null));
            }
            synchronized (seen) {
                seen.add(message);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads until a message matches (the others are kept in {@link #seen()}), or fails after {@code timeout}. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                List<JsonNode> all = seen();
                throw new AssertionError("not received in " + timeout + ": " + what + "; closed: "
                        + closed.getNow(null) + "; last messages: " + all.subList(Math.max(0, all.size() - 5),
                        all.size()));
            }
            JsonNode message;
            try {
                message = received.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (message == null) {
                continue;
            }
            synchronized (seen) {
                seen.add(message);
            }
            if (match.test(message)) {
                return message;
            }
        }
    }

    List<JsonNode> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** How the server closed the socket, waiting up to {@code timeout}. */
    Closed awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the socket was not closed within " + timeout, e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    static Predicate<JsonNode> type(String type) {
        return message -> type.equals(message.path("type").asText());
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    received.add(JSON.getNodeFactory().textNode("unreadable: " + partial));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(new Closed(-1, String.valueOf(error)));
        }
    }
}
