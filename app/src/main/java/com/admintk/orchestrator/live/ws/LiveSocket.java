package com.admintk.orchestrator.live.ws;

import com.admintk.orchestrator.config.ServesApi;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnError;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;

/**
 * {@code /api/v1/ws}: live servers and orders for browsers. Browsers cannot put an Authorization header on a
 * WebSocket, so the upgrade is open to anyone and the access token comes in the first message ({@code auth}); the
 * protocol is in the README ("Live WebSocket") and {@code docs/asyncapi/live-socket.yaml}. Each socket is a
 * {@link LiveConnection}; this class only routes the frames to it.
 */
@ServerWebSocket("/api/v1/ws")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(condition = ServesApi.class)
@Requires(property = "panel.url")
public class LiveSocket {

    private final LiveSockets sockets;

    public LiveSocket(LiveSockets sockets) {
        this.sockets = sockets;
    }

    @OnOpen
    public void open(WebSocketSession session, HttpRequest<?> request) {
        sockets.opened(session, request);
    }

    @OnMessage(maxPayloadLength = LiveConnection.MAX_MESSAGE_CHARS)
    public void message(String message, WebSocketSession session) {
        sockets.received(session, message);
    }

    @OnClose
    public void close(WebSocketSession session, CloseReason reason) {
        sockets.closed(session);
    }

    @OnError
    public void error(WebSocketSession session, Throwable error) {
        sockets.failed(session, error);
    }
}
