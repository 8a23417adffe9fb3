package com.admintk.orchestrator.identity;

import java.time.Instant;
import java.util.Set;

/**
 * A person who logs in with email and password. Never leaves the identity code with its hash.
 *
 * @param passwordHash   null for a customer the store created who has not chosen a password yet (no login until a
 *                       password reset, which also proves the mailbox)
 * @param emailVerified  false only for a self-registered account whose link has not been followed; accounts created
 *                       by an admin, the store or the seeder count as verified
 * @param disabled       an admin switched the account off: no login, and live tokens stop working at once
 * @param externalId     the store's own id for this customer, when the store created or linked it
 */
public record UserRecord(String id, String email, String passwordHash, Set<String> roles, Instant createdAt,
                         String name, boolean emailVerified, boolean disabled, String externalId) {

    public UserRecord(String id, String email, String passwordHash, Set<String> roles, Instant createdAt) {
        this(id, email, passwordHash, roles, createdAt, null, true, false, null);
    }

    /** ACTIVE, DISABLED or UNVERIFIED, as admins filter and see it. */
    public String status() {
        return disabled ? "DISABLED" : emailVerified ? "ACTIVE" : "UNVERIFIED";
    }
}
