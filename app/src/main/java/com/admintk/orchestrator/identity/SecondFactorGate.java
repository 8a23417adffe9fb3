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

import java.util.Set;

/**
 * An admin token from a session opened without a second factor reaches only the TOTP enrolment routes and logout;
 * everything else is 403 {@code MFA_ENROLMENT_REQUIRED} (or {@code MFA_REQUIRED} when the account has enrolled since
 * and must log in again with a code). Decided on the token's own claim ({@link TokenService#secondFactorGiven}), which
 * the session's refresh tokens carry on, so a refresh never upgrades a password-only session. Runs after
 * {@link LiveSessionFilter}, so a revoked session still answers 401.
 */
@ServerFilter(value = RoutePaths.ALL_BUT_LIVE_SOCKET, patternStyle = FilterPatternStyle.REGEX)
public class SecondFactorGate implements Ordered {

    static final Set<String> OPEN_WITHOUT_SECOND_FACTOR = Set.of(
            "/api/v1/auth/totp/enrolment",
            "/api/v1/auth/totp/enrolment/confirm",
            "/api/v1/auth/logout");

    private final SessionChecks checks;

    public SecondFactorGate(SessionChecks checks) {
        this.checks = checks;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after() + 1;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    public HttpResponse<ApiError> requireSecondFactor(HttpRequest<?> request) {
        Authentication who = request.getUserPrincipal(Authentication.class).orElse(null);
        if (who == null || OPEN_WITHOUT_SECOND_FACTOR.contains(RoutePaths.normalize(request.getPath()))) {
            return null;
        }
        return checks.secondFactor(who).map(refusal -> HttpResponse.<ApiError>status(refusal.status())
                .body(ApiError.of(refusal.code(), refusal.message(), refusal.details()))).orElse(null);
    }
}
