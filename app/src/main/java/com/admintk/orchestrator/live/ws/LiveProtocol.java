package com.admintk.orchestrator.live.ws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The words of {@code /api/v1/ws}: message types both ways and close codes. README ("Live WebSocket") and
 * {@code docs/asyncapi/live-socket.yaml} describe them; a change here is a change there.
 */
final class LiveProtocol {

    // ---- close codes (4xxx: ours; the reason phrase carries the error code) ----
    /** The instance is stopping: reconnect (to any instance) and subscribe again. */
    static final int GOING_AWAY = 1001;
    /** No valid {@code auth} within the allowed time, an invalid token, or an access token that expired. */
    static final int UNAUTHENTICATED = 4401;
    /** The account or session no longer allows it: disabled, logged out, roles changed, second factor missing. */
    static final int SESSION_ENDED = 4403;
    /** The client did not read fast enough: too many messages were waiting for it. */
    static final int SLOW_CONSUMER = 4408;
    /** Too many requests (sockets opened) from this address: the API's per-address rate limit. */
    static final int RATE_LIMITED = 4429;
    /** Every server the socket watched was suspended or terminated (and it watches no order). */
    static final int SERVER_GONE = 4410;

    // ---- client to server ----
    static final String AUTH = "auth";
    static final String SUBSCRIBE = "subscribe";
    static final String UNSUBSCRIBE = "unsubscribe";
    static final String COMMAND = "command";
    static final String POWER = "power";
    static final String PING = "ping";

    // ---- server to client ----
    static final String AUTHENTICATED = "authenticated";
    static final String SNAPSHOT = "snapshot";
    static final String STATUS = "status";
    static final String STATS = "stats";
    static final String CONSOLE = "console";
    static final String ORDER = "order";
    static final String ENDED = "ended";
    static final String ACK = "ack";
    static final String ERROR = "error";
    static final String PONG = "pong";

    static final ObjectMapper JSON = new ObjectMapper();

    private LiveProtocol() {
    }

    static ObjectNode message(String type) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        return node;
    }

    static ObjectNode error(String id, String code, String message, Map<String, Object> details) {
        ObjectNode node = message(ERROR);
        if (id != null) {
            node.put("id", id);
        }
        node.put("code", code);
        node.put("message", message);
        node.set("details", JSON.valueToTree(details == null ? Map.of() : details));
        return node;
    }
}
