package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.error.ApiError;
import com.admintk.orchestrator.security.RoutePaths;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterPatternStyle;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;

/**
 * An access token is a claim about the past. On every request the account and the session are read back from the
 * store: a logged-out session answers 401, and a token carrying a role the account no longer has answers 403, so a
 * demotion, a disabled or deleted account or a logout takes effect on the next request rather than when the token
 * expires.
 * Service accounts (API keys) are looked up per request already. The rules themselves are {@link SessionChecks}.
 */
@ServerFilter(value = RoutePaths.ALL_BUT_LIVE_SOCKET, patternStyle = FilterPatternStyle.REGEX)
public class LiveSessionFilter implements Ordered {

    private static final String ACCOUNT = "admintk.live-session.account";

    private final SessionChecks checks;

    public LiveSessionFilter(SessionChecks checks) {
        this.checks = checks;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<ApiError> requireLiveSession(HttpRequest<?> request) {
        Authentication who = request.getUserPrincipal(Authentication.class).orElse(null);
        if (who == null || "service".equals(who.getAttributes().get("kind")) || operations(request.getPath())) {
            return null;
        }
        return checks.liveSession(who, account -> request.setAttribute(ACCOUNT, account))
                .map(LiveSessionFilter::refuse).orElse(null);
    }

    /** The caller's account as this request's live-session check read it; null for API keys and unchecked paths. */
    @Nullable
    public static UserRecord account(HttpRequest<?> request) {
        return request.getAttribute(ACCOUNT, UserRecord.class).orElse(null);
    }

    /**
     * Health must answer while MongoDB is down, and an operator reading why must not be refused for it; the worst a
     * stale admin token reads there is dependency status.
     */
    private static boolean operations(String path) {
        return path.equals("/health") || path.startsWith("/health/");
    }

    private static HttpResponse<ApiError> refuse(SessionChecks.Refusal refusal) {
        return HttpResponse.<ApiError>status(refusal.status())
                .body(ApiError.of(refusal.code(), refusal.message(), refusal.details()));
    }
}
