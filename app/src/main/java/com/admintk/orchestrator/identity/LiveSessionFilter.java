package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.error.ApiError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.authentication.Authentication;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An access token is a claim about the past. On every request the account and the session are read back from the
 * store: a logged-out session answers 401, and a token carrying a role the account no longer has answers 403, so a
 * demotion, a disabled or deleted account or a logout takes effect on the next request rather than when the token
 * expires.
 * Service accounts (API keys) are looked up per request already.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class LiveSessionFilter implements Ordered {

    private final UserService users;
    private final TokenService tokens;

    public LiveSessionFilter(UserService users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
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
        Object session = who.getAttributes().get(TokenService.SESSION_CLAIM);
        Optional<UserRecord> user = users.findById(who.getName());
        if (user.isEmpty()) {
            return refuse(HttpStatus.UNAUTHORIZED, "SESSION_REVOKED", "This session has ended; log in again");
        }
        // A disabled account first, then roles: both also end the sessions, and the caller should learn why.
        if (user.get().disabled()) {
            return refuse(HttpStatus.FORBIDDEN, "ACCOUNT_DISABLED", "This account is disabled");
        }
        Set<String> current = Roles.effective(user.get().roles());
        if (!current.containsAll(who.getRoles())) {
            return refuse(HttpStatus.FORBIDDEN, "ROLES_CHANGED",
                    "Your roles have changed since this token was issued; log in again");
        }
        if (!(session instanceof String sid) || !tokens.sessionLive(sid)) {
            return refuse(HttpStatus.UNAUTHORIZED, "SESSION_REVOKED", "This session has ended; log in again");
        }
        return null;
    }

    /**
     * Health must answer while MongoDB is down, and an operator reading why must not be refused for it; the worst a
     * stale admin token reads there is dependency status.
     */
    private static boolean operations(String path) {
        return path.equals("/health") || path.startsWith("/health/");
    }

    private static HttpResponse<ApiError> refuse(HttpStatus status, String code, String message) {
        return HttpResponse.<ApiError>status(status).body(ApiError.of(code, message, Map.of()));
    }
}
