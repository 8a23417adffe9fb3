package com.admintk.orchestrator.identity;

import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The account and session rules an access token must still satisfy, read back from the store: the HTTP filters
 * ({@link LiveSessionFilter}, {@link SecondFactorGate}) apply them to every request, and the live WebSocket to every
 * message and periodically, so both refuse the same tokens for the same reasons.
 */
@Singleton
public class SessionChecks {

    /** Why a token no longer counts: the HTTP status and error code the API answers with. */
    public record Refusal(HttpStatus status, String code, String message, Map<String, Object> details) {
        Refusal(HttpStatus status, String code, String message) {
            this(status, code, message, Map.of());
        }
    }

    private final UserService users;
    private final TokenService tokens;
    private final TotpService totp;

    public SessionChecks(UserService users, TokenService tokens, TotpService totp) {
        this.users = users;
        this.tokens = tokens;
        this.totp = totp;
    }

    /**
     * A logged-out session or a deleted account: 401; a disabled account or a token carrying a role the account no
     * longer has: 403. Service accounts (API keys) are looked up per request already and pass.
     */
    public Optional<Refusal> liveSession(Authentication who) {
        return liveSession(who, account -> { });
    }

    /** {@link #liveSession(Authentication)}, handing the account it read to {@code live} when the session passes. */
    public Optional<Refusal> liveSession(Authentication who, Consumer<UserRecord> live) {
        if ("service".equals(who.getAttributes().get("kind"))) {
            return Optional.empty();
        }
        Object session = who.getAttributes().get(TokenService.SESSION_CLAIM);
        Optional<UserRecord> user = users.findById(who.getName());
        if (user.isEmpty()) {
            return Optional.of(revoked());
        }
        // A disabled account first, then roles: both also end the sessions, and the caller should learn why.
        if (user.get().disabled()) {
            return Optional.of(new Refusal(HttpStatus.FORBIDDEN, "ACCOUNT_DISABLED", "This account is disabled"));
        }
        Set<String> current = Roles.effective(user.get().roles());
        if (!current.containsAll(who.getRoles())) {
            return Optional.of(new Refusal(HttpStatus.FORBIDDEN, "ROLES_CHANGED",
                    "Your roles have changed since this token was issued; log in again"));
        }
        if (!(session instanceof String sid) || !tokens.sessionLive(sid)) {
            return Optional.of(revoked());
        }
        live.accept(user.get());
        return Optional.empty();
    }

    /** An admin token from a session opened without a second factor: 403 (see {@link SecondFactorGate}). */
    public Optional<Refusal> secondFactor(Authentication who) {
        if ("service".equals(who.getAttributes().get("kind"))
                || !TotpService.required(Set.copyOf(who.getRoles())) || TokenService.secondFactorGiven(who)) {
            return Optional.empty();
        }
        Map<String, Object> enrolment = Map.of("enrolment", "/api/v1/auth/totp/enrolment");
        if (totp.enrolled(who.getName())) {
            return Optional.of(new Refusal(HttpStatus.FORBIDDEN, "MFA_REQUIRED",
                    "This session was opened without your second factor; log in again with your code", enrolment));
        }
        return Optional.of(new Refusal(HttpStatus.FORBIDDEN, "MFA_ENROLMENT_REQUIRED",
                "Admins log in with a second factor: enrol first (POST /api/v1/auth/totp/enrolment), then log in again",
                enrolment));
    }

    private static Refusal revoked() {
        return new Refusal(HttpStatus.UNAUTHORIZED, "SESSION_REVOKED", "This session has ended; log in again");
    }
}
