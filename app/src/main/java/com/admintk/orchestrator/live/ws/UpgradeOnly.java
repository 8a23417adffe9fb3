package com.admintk.orchestrator.live.ws;

import com.admintk.orchestrator.error.ApiError;
import com.admintk.orchestrator.security.RoutePaths;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Map;

/**
 * A plain request to the socket's path gets 426 in the error shape rather than the router's complaint about a
 * missing WebSocket session. Runs on the event loop (no blocking work), so upgrades are not delayed.
 */
@ServerFilter(RoutePaths.LIVE_SOCKET)
public class UpgradeOnly {

    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> requireUpgrade(HttpRequest<?> request) {
        if ("websocket".equalsIgnoreCase(request.getHeaders().get("Upgrade"))) {
            return null;
        }
        return HttpResponse.<ApiError>status(HttpStatus.UPGRADE_REQUIRED)
                .header("Upgrade", "websocket")
                .body(ApiError.of("UPGRADE_REQUIRED", "This is the live WebSocket: connect with a WebSocket client",
                        Map.of("protocol", "docs/asyncapi/live-socket.yaml")));
    }
}
