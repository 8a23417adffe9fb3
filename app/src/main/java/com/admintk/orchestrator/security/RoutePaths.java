package com.admintk.orchestrator.security;

import java.util.Locale;

/**
 * A request path as the router matches it. The router treats {@code /api/v1/auth/login/}, {@code //api/v1/auth/login}
 * and {@code /API/v1/auth/login} as the login route, so a limit keyed on the raw path could be walked around.
 */
public final class RoutePaths {

    /** The live WebSocket's upgrade path ({@code com.admintk.orchestrator.live.ws.LiveSocket}). */
    public static final String LIVE_SOCKET = "/api/v1/ws";

    /**
     * Every path but the live WebSocket's, for the filters that do blocking work ({@code @ExecuteOn}). A WebSocket
     * upgrade finished off the event loop races the client's first frame, which Micronaut then hands to the HTTP
     * codec and loses ({@code TextWebSocketFrame cannot be cast to HttpRequest}); the upgrade is anonymous anyway,
     * and the socket applies the session rules and the per-address limit itself.
     */
    public static final String ALL_BUT_LIVE_SOCKET = "^(?!" + LIVE_SOCKET + "/?$).*$";

    private RoutePaths() {
    }

    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        String collapsed = path.replaceAll("/{2,}", "/");
        if (collapsed.length() > 1 && collapsed.endsWith("/")) {
            collapsed = collapsed.substring(0, collapsed.length() - 1);
        }
        return collapsed.toLowerCase(Locale.ROOT);
    }
}
