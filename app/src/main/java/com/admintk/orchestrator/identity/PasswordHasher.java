package com.admintk.orchestrator.identity;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;

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

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                (hash == null ? decoy : hash).getBytes(StandardCharsets.UTF_8)).verified && hash != null;
    }
}
