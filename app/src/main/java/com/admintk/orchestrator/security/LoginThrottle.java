package com.admintk.orchestrator.security;

import com.admintk.orchestrator.error.ApiException;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Login attempts per account, on top of the per-IP login budget: a botnet spreading guesses for one account over
 * many addresses still gets {@code login-per-account-per-minute} tries a minute. While Redis is down each API
 * instance counts these budgets on its own ({@link RateLimiter#tryConsumeOrLocal}): guessing slows down rather than
 * running free (see README, "When a dependency is down").
 */
@Singleton
public class LoginThrottle {

    private final RateLimiter limiter;
    private final RateLimitSettings settings;

    public LoginThrottle(RateLimiter limiter, RateLimitSettings settings) {
        this.limiter = limiter;
        this.settings = settings;
    }

    /** @param account the normalised email the login names, known or not (an unknown one is throttled alike) */
    public void requireAllowed(String account) {
        require("login-account", account, settings.getLoginPerAccountPerMinute(), "login attempts");
    }

    /**
     * Second-factor codes per account: a six-digit code falls to guessing without it, and new mfa tokens are cheap
     * for whoever knows the password.
     * @param userId the account the mfa token belongs to
     */
    public void requireCodeAllowed(String userId) {
        require("totp-account", userId, settings.getTotpPerAccountPerMinute(), "codes");
    }

    private void require(String scope, String key, long perMinute, String what) {
        if (!settings.isEnabled()) {
            return;
        }
        RateLimiter.Decision decision = limiter.tryConsumeOrLocal(scope, key, perMinute);
        if (decision != null && !decision.allowed()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "RATE_LIMITED",
                    "Too many " + what + " for this account, retry after " + decision.retryAfterSeconds() + " s",
                    Map.of("scope", scope, "limit", decision.limit(),
                            "retryAfterSeconds", decision.retryAfterSeconds()),
                    Map.of("Retry-After", String.valueOf(decision.retryAfterSeconds())));
        }
    }
}
