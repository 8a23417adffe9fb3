package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.identity.RefreshTokenRepository.RefreshToken;
import com.admintk.orchestrator.identity.RefreshTokenRepository.Status;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;

/**
 * Access tokens (JWT, 15 min) and refresh tokens (opaque, 7 days, stored hashed). A refresh retires the presented
 * token and issues the next one of the same family; presenting a retired token again means it leaked, so the whole
 * family is revoked.
 */
@Singleton
public class TokenService {

    @Serdeable
    public record TokenPair(String accessToken, String tokenType, long expiresIn, String refreshToken, long refreshExpiresIn) {
    }

    /** The outcome of a refresh attempt that failed because a retired token came back. */
    public static final class ReuseDetected extends ApiException {
        private final String userId;
        private final String familyId;

        ReuseDetected(String userId, String familyId) {
            super(HttpStatus.UNAUTHORIZED, "REFRESH_TOKEN_REUSED",
                    "This refresh token was already used; every session of its family is revoked");
            this.userId = userId;
            this.familyId = familyId;
        }

        public String userId() {
            return userId;
        }

        public String familyId() {
            return familyId;
        }
    }

    /** Access-token claim naming the session (refresh-token family) it was issued for. */
    public static final String SESSION_CLAIM = "sid";
    /**
     * Access-token claim listing how the session was authenticated (RFC 8176 "amr"): {@code ["pwd"]}, or
     * {@code ["pwd","otp"]} once a second factor was given.
     */
    public static final String METHODS_CLAIM = "amr";
    public static final String SECOND_FACTOR = "otp";

    private final TokenGenerator generator;
    private final RefreshTokenRepository refreshTokens;
    private final UserRepository users;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final SecureRandom random = new SecureRandom();

    public TokenService(TokenGenerator generator, RefreshTokenRepository refreshTokens, UserRepository users,
                        @Value("${orchestrator.security.access-token-ttl:15m}") Duration accessTtl,
                        @Value("${orchestrator.security.refresh-token-ttl:7d}") Duration refreshTtl) {
        this.generator = generator;
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
    }

    /** A new session (login with a password only): a new family. */
    public TokenPair issue(UserRecord user) {
        return issue(user, UUID.randomUUID().toString(), false);
    }

    /** A new session of a login that gave a second factor as well. */
    public TokenPair issueAfterSecondFactor(UserRecord user) {
        return issue(user, UUID.randomUUID().toString(), true);
    }

    /** True when the access token's session was opened with a second factor. */
    public static boolean secondFactorGiven(Authentication who) {
        return who.getAttributes().get(METHODS_CLAIM) instanceof Iterable<?> methods
                && StreamSupport.stream(methods.spliterator(), false).anyMatch(SECOND_FACTOR::equals);
    }

    public TokenPair refresh(String refreshToken) {
        String hash = UserService.sha256(refreshToken);
        Optional<RefreshToken> rotated = refreshTokens.rotate(hash);
        if (rotated.isEmpty()) {
            RefreshToken known = refreshTokens.find(hash).orElseThrow(TokenService::invalid);
            if (known.status() == Status.ROTATED) {
                refreshTokens.revokeFamily(known.familyId());
                throw new ReuseDetected(known.userId(), known.familyId());
            }
            throw invalid();
        }
        RefreshToken token = rotated.get();
        if (token.expiresAt().isBefore(Instant.now())) {
            refreshTokens.revokeFamily(token.familyId());
            throw invalid();
        }
        UserRecord user = users.findById(token.userId()).orElseThrow(TokenService::invalid);
        return issue(user, token.familyId(), token.secondFactor());
    }

    /** @return the user id owning the family, when the token is known */
    public Optional<RefreshToken> find(String refreshToken) {
        return refreshTokens.find(UserService.sha256(refreshToken));
    }

    public long revokeFamily(String familyId) {
        return refreshTokens.revokeFamily(familyId);
    }

    public long revokeAll(String userId) {
        return refreshTokens.revokeAllOf(userId);
    }

    public Authentication authenticationOf(UserRecord user) {
        return Authentication.build(user.id(), new ArrayList<>(Roles.effective(user.roles())), Map.of("email", user.email()));
    }

    /** True while the session (refresh-token family) an access token belongs to has not been revoked. */
    public boolean sessionLive(String familyId) {
        return familyId != null && !refreshTokens.familyRevoked(familyId);
    }

    private TokenPair issue(UserRecord user, String familyId, boolean secondFactor) {
        // The session id travels in the access token, so logging out (revoking the family) ends the token too.
        Authentication session = Authentication.build(user.id(), new ArrayList<>(Roles.effective(user.roles())),
                Map.of("email", user.email(), SESSION_CLAIM, familyId,
                        METHODS_CLAIM, secondFactor ? List.of("pwd", SECOND_FACTOR) : List.of("pwd")));
        String access = generator.generateToken(session, (int) accessTtl.toSeconds())
                .orElseThrow(() -> new IllegalStateException("no JWT generator configured"));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String refresh = "rt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        refreshTokens.insert(new RefreshToken(UserService.sha256(refresh), user.id(), familyId, Status.ACTIVE,
                Instant.now().plus(refreshTtl), secondFactor));
        return new TokenPair(access, "Bearer", accessTtl.toSeconds(), refresh, refreshTtl.toSeconds());
    }

    private static ApiException invalid() {
        return new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_REFRESH_TOKEN", "The refresh token is invalid, expired or revoked");
    }
}
