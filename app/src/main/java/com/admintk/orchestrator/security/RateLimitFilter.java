package com.admintk.orchestrator.security;

import com.admintk.orchestrator.error.ApiError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterPatternStyle;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;

import java.util.Map;

/**
 * Per-IP budget (and the stricter login budget) before authentication, so anonymous floods are cut early;
 * per-user budget after authentication, in {@link UserRateLimitFilter}.
 */
@ServerFilter(value = RoutePaths.ALL_BUT_LIVE_SOCKET, patternStyle = FilterPatternStyle.REGEX)
public class RateLimitFilter implements Ordered {

    static final String DECISION = "admintk.rate-limit";
    static final String LOGIN_PATH = "/api/v1/auth/login";

    private final RateLimiter limiter;
    private final RateLimitSettings settings;
    private final ClientIp clientIp;

    public RateLimitFilter(RateLimiter limiter, RateLimitSettings settings, ClientIp clientIp) {
        this.limiter = limiter;
        this.settings = settings;
        this.clientIp = clientIp;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.before();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<ApiError> limitByAddress(HttpRequest<?> request) {
        if (!settings.isEnabled() || settings.exempt(request.getPath())) {
            return null;
        }
        String ip = ClientIp.rateLimitKey(clientIp.of(request));
        RateLimiter.Decision decision = limiter.tryConsume("ip", ip, settings.getPerIpPerMinute());
        if (decision != null && !decision.allowed()) {
            return tooMany(decision, "ip");
        }
        if (request.getMethod() == HttpMethod.POST && LOGIN_PATH.equals(RoutePaths.normalize(request.getPath()))) {
            // Credentials: counted per instance while Redis is down, unlike the general budget above.
            RateLimiter.Decision login = limiter.tryConsumeOrLocal("login", ip, settings.getLoginPerMinute());
            if (login != null && !login.allowed()) {
                return tooMany(login, "login");
            }
        }
        if (decision != null) {
            request.setAttribute(DECISION, decision);
        }
        return null;
    }

    @ResponseFilter
    public void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(DECISION, RateLimiter.Decision.class).ifPresent(d -> rateLimitHeaders(response, d));
    }

    static HttpResponse<ApiError> tooMany(RateLimiter.Decision decision, String scope) {
        MutableHttpResponse<ApiError> response = HttpResponse.<ApiError>status(HttpStatus.TOO_MANY_REQUESTS)
                .body(ApiError.of("RATE_LIMITED", "Too many requests, retry after " + decision.retryAfterSeconds() + " s",
                        Map.of("scope", scope, "limit", decision.limit(), "retryAfterSeconds", decision.retryAfterSeconds())));
        response.header("Retry-After", String.valueOf(decision.retryAfterSeconds()));
        rateLimitHeaders(response, decision);
        return response;
    }

    static void rateLimitHeaders(MutableHttpResponse<?> response, RateLimiter.Decision d) {
        response.header("RateLimit-Limit", String.valueOf(d.limit()));
        response.header("RateLimit-Remaining", String.valueOf(d.remaining()));
        response.header("RateLimit-Reset", String.valueOf(d.resetSeconds()));
    }

    /** The per-user budget, once the caller is known. */
    @ServerFilter(value = RoutePaths.ALL_BUT_LIVE_SOCKET, patternStyle = FilterPatternStyle.REGEX)
    public static class UserRateLimitFilter implements Ordered {

        private final RateLimiter limiter;
        private final RateLimitSettings settings;

        public UserRateLimitFilter(RateLimiter limiter, RateLimitSettings settings) {
            this.limiter = limiter;
            this.settings = settings;
        }

        @Override
        public int getOrder() {
            return ServerFilterPhase.SECURITY.after();
        }

        @RequestFilter
        @ExecuteOn(TaskExecutors.BLOCKING)
        @Nullable
        public HttpResponse<ApiError> limitByUser(HttpRequest<?> request) {
            if (!settings.isEnabled() || settings.exempt(request.getPath())) {
                return null;
            }
            Authentication who = request.getUserPrincipal(Authentication.class).orElse(null);
            if (who == null) {
                return null;
            }
            RateLimiter.Decision decision = limiter.tryConsume("user", who.getName(), settings.getPerUserPerMinute());
            return decision != null && !decision.allowed() ? tooMany(decision, "user") : null;
        }
    }
}
