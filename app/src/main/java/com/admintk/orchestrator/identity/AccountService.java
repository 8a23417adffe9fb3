package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.error.ApiException;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Self-service accounts: registration with a signed verification link, password reset by a one-time emailed
 * token, and password change. Every answer that an anonymous caller gets is the same whether or not the email has
 * an account, so none of these routes tells who is a customer.
 */
@Singleton
public class AccountService {

    /** What a verification link proves: this account, this email, until then. */
    record Verification(String userId, String email) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final UserService users;
    private final TokenService tokens;
    private final AccountTokenRepository accountTokens;
    private final AccountMailer mailer;
    private final AccountSettings settings;
    private final byte[] linkKey;
    private final SecureRandom random = new SecureRandom();

    public AccountService(UserService users, TokenService tokens, AccountTokenRepository accountTokens,
                          AccountMailer mailer, AccountSettings settings,
                          @Value("${orchestrator.security.jwt-secret}") String jwtSecret) {
        this.users = users;
        this.tokens = tokens;
        this.accountTokens = accountTokens;
        this.mailer = mailer;
        this.settings = settings;
        // A key of its own, derived from the signing secret: a verification link can never pass for a JWT.
        this.linkKey = hmac(jwtSecret.getBytes(StandardCharsets.UTF_8), "admintk:email-verification");
    }

    /**
     * A new unverified CLIENT, and the link to verify it. An email that already has an account gets a note instead
     * (or, while still unverified, a fresh link), and the caller sees the same answer.
     */
    public void register(String email, String name, String password) {
        String normalized = UserService.normalize(email);
        PasswordHasher.requireHashable(password);
        Optional<UserRecord> existing = users.findByEmail(normalized);
        if (existing.isEmpty()) {
            existing = users.create(normalized, name, password, Set.of(Roles.CLIENT), false);
            if (existing.isPresent()) {
                sendVerification(existing.get());
                return;
            }
            // lost a race with another registration of the same email: treat it as existing
            existing = users.findByEmail(normalized);
        }
        users.spendHashTime(password);
        existing.ifPresent(user -> {
            if (!user.emailVerified() && !user.disabled()) {
                sendVerification(user);
            } else if (!user.disabled()) {
                mailer.send(user.email(), "You already have an Admin-TK account",
                        "Someone (maybe you) tried to register this address again. You already have an account:"
                                + " log in, or reset your password if you forgot it.\n\nIf this was not you, ignore this email.");
            }
        });
    }

    /** @return the account just verified (verifying twice is harmless) */
    public UserRecord verify(String token) {
        Verification proof = readVerification(token);
        UserRecord user = users.findById(proof.userId()).orElseThrow(AccountService::invalidToken);
        if (!users.markVerified(user.id(), proof.email())) {
            // the account's email changed since the link was sent: the link proved the old mailbox only
            throw invalidToken();
        }
        return users.findById(user.id()).orElseThrow(AccountService::invalidToken);
    }

    /** Emails a one-time reset token to an account that exists and is enabled; does nothing otherwise. */
    public Optional<UserRecord> forgotPassword(String email) {
        Optional<UserRecord> user = users.findByEmail(email).filter(u -> !u.disabled());
        user.ifPresent(u -> {
            String token = "prt_" + B64.encodeToString(randomBytes(32));
            accountTokens.issue(UserService.sha256(token), u.id(), AccountTokenRepository.PASSWORD_RESET,
                    Instant.now().plus(settings.passwordResetTtl()));
            mailer.send(u.email(), "Reset your Admin-TK password",
                    "To choose a new password, open this link (it works once, for "
                            + settings.passwordResetTtl().toMinutes() + " minutes):\n\n"
                            + settings.passwordResetUrl() + "?token=" + token
                            + "\n\nReset token: " + token
                            + "\n\nIf you did not ask for this, ignore this email: your password stays as it is.");
        });
        return user;
    }

    /**
     * Sets the password if the token is good, once. Every session of the user ends, and the email counts as
     * verified (the token came through it).
     */
    public UserRecord resetPassword(String token, String password) {
        PasswordHasher.requireHashable(password);
        String userId = accountTokens.use(UserService.sha256(token), AccountTokenRepository.PASSWORD_RESET)
                .orElseThrow(AccountService::invalidToken);
        UserRecord user = users.findById(userId).filter(u -> !u.disabled()).orElseThrow(AccountService::invalidToken);
        users.setPassword(user.id(), password, true);
        accountTokens.voidAll(user.id(), AccountTokenRepository.PASSWORD_RESET);
        tokens.revokeAll(user.id());
        return user;
    }

    /** Changes the password of a logged-in user who knows the current one; every session ends, this one too. */
    public UserRecord changePassword(String userId, String currentPassword, String newPassword) {
        PasswordHasher.requireHashable(newPassword);
        UserRecord user = users.findById(userId).orElseThrow(() -> ApiException.notFound("User"));
        if (!users.passwordMatches(user, currentPassword)) {
            throw new ApiException(HttpStatus.FORBIDDEN, "WRONG_PASSWORD", "The current password is wrong",
                    Map.of("field", "currentPassword"));
        }
        users.setPassword(user.id(), newPassword, false);
        tokens.revokeAll(user.id());
        return user;
    }

    private void sendVerification(UserRecord user) {
        String token = verificationToken(user, Instant.now().plus(settings.verificationTtl()));
        String link = settings.publicApiUrl().replaceAll("/+$", "") + "/api/v1/auth/verify?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8);
        mailer.send(user.email(), "Confirm your Admin-TK email address",
                "Welcome" + (user.name() == null ? "" : ", " + user.name()) + "! Confirm your email address to log in:\n\n"
                        + link + "\n\nThe link works for " + settings.verificationTtl().toHours() + " hours.");
    }

    String verificationToken(UserRecord user, Instant expires) {
        String payload = B64.encodeToString((user.id() + "\n" + user.email() + "\n" + expires.getEpochSecond())
                .getBytes(StandardCharsets.UTF_8));
        return payload + "." + B64.encodeToString(hmac(linkKey, payload));
    }

    private Verification readVerification(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw invalidToken();
        }
        String payload = token.substring(0, dot);
        byte[] signature;
        String[] parts;
        try {
            signature = B64D.decode(token.substring(dot + 1));
            parts = new String(B64D.decode(payload), StandardCharsets.UTF_8).split("\n");
        } catch (IllegalArgumentException e) {
            throw invalidToken();
        }
        if (!MessageDigest.isEqual(signature, hmac(linkKey, payload)) || parts.length != 3) {
            throw invalidToken();
        }
        long expires;
        try {
            expires = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            throw invalidToken();
        }
        if (Instant.ofEpochSecond(expires).isBefore(Instant.now())) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "TOKEN_EXPIRED",
                    "This link has expired; register again with the same email to get a new one", Map.of("field", "token"));
        }
        return new Verification(parts[0], parts[1]);
    }

    private static ApiException invalidToken() {
        return new ApiException(HttpStatus.BAD_REQUEST, "INVALID_TOKEN", "The token is invalid, used or expired",
                Map.of("field", "token"));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
