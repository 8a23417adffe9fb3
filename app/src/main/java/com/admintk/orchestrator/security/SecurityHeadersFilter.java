package com.admintk.orchestrator.security;

import com.admintk.orchestrator.tryit.TryItPage;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;

/**
 * Headers every response carries. The API serves JSON only, so the CSP forbids everything; Swagger UI pages get a
 * CSP that lets them load their own scripts and styles, and the try-it page (role dev) one that lets its own script
 * call the API and open the live WebSocket on this origin. HSTS only when the request arrived over TLS (directly or via
 * a trusted proxy saying {@code X-Forwarded-Proto: https}): sending it over plain HTTP means nothing.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class SecurityHeadersFilter implements Ordered {

    private final ClientIp clientIp;

    public SecurityHeadersFilter(ClientIp clientIp) {
        this.clientIp = clientIp;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @RequestFilter
    public void requestId(HttpRequest<?> request) {
        RequestIds.of(request);
    }

    @ResponseFilter
    public void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "no-referrer");
        response.header("Cross-Origin-Opener-Policy", "same-origin");
        boolean swagger = request.getPath().startsWith("/swagger");
        response.header("Content-Security-Policy", swagger
                ? "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
                : tryItPage(request.getPath())
                ? "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'"
                : "default-src 'none'; frame-ancestors 'none'");
        if (!swagger) {
            response.header("Cache-Control", "no-store");
        }
        if (overTls(request)) {
            response.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
        response.header(RequestIds.HEADER, RequestIds.of(request));
    }

    private static boolean tryItPage(String path) {
        return path.equals(TryItPage.PATH) || path.startsWith(TryItPage.PATH + "/");
    }

    private boolean overTls(HttpRequest<?> request) {
        if (request.isSecure()) {
            return true;
        }
        String peer = request.getRemoteAddress().getAddress() == null ? "" : request.getRemoteAddress().getAddress().getHostAddress();
        return clientIp.isTrusted(peer) && "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
    }
}
