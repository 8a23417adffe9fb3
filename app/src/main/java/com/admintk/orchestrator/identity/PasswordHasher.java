package com.admintk.orchestrator.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.admintk.orchestrator.error.ApiException;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** bcrypt ({@code orchestrator.security.bcrypt-cost}, default 12). */
@Singleton
public class PasswordHasher {

    private final int cost;
    /** Compared against when the email is unknown, so a miss costs as much time as a wrong password. */
    private final String decoy;

    public PasswordHasher(@Value("${orchestrator.security.bcrypt-cost:12}") int cost) {
        this.cost = cost;
        this.decoy = hash("decoy-password-for-unknown-accounts");
    }

    /**
     * bcrypt reads 72 bytes including its terminating zero, so 71 of the password; the library refuses more, and
     * silently cutting would accept any suffix.
     */
    public static final int MAX_PASSWORD_BYTES = 71;

    public String hash(String password) {
        requireHashable(password);
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        requireHashable(password);
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                (hash == null ? decoy : hash).getBytes(StandardCharsets.UTF_8)).verified && hash != null;
    }

    /** A password bcrypt cannot take is the caller's mistake: 400 in the error shape, never a 500. */
    public static void requireHashable(String password) {
        if (password != null && password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw ApiException.badRequest("VALIDATION_FAILED", "Request validation failed", Map.of("fields",
                    Map.of("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes in UTF-8")));
        }
    }
}
