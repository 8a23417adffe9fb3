package com.admintk.orchestrator.customer;

import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.identity.UserRecord;
import com.admintk.orchestrator.identity.UserService;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/**
 * Customers as the store knows them, by the store's own id. The store account carries the customer: an upsert
 * creates it (no password: the customer sets one through "forgot password", which also proves the mailbox), and
 * later upserts follow the store's email and name.
 */
@Singleton
public class StoreCustomers {

    /** The outcome of an upsert. */
    public record Upserted(UserRecord customer, boolean created) {
    }

    private final UserService users;

    public StoreCustomers(UserService users) {
        this.users = users;
    }

    public Upserted upsert(String externalId, String email, String name) {
        String normalized = UserService.normalize(email);
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<UserRecord> known = users.findByExternalId(externalId);
            if (known.isPresent()) {
                return new Upserted(update(known.get(), normalized, name), false);
            }
            Optional<UserRecord> sameEmail = users.findByEmail(normalized);
            if (sameEmail.isPresent()) {
                UserRecord existing = sameEmail.get();
                if (!linkable(existing)) {
                    throw emailTaken();
                }
                // Someone who registered in the dashboard first: the store's id joins their account.
                if (users.linkExternal(existing.id(), externalId, name, !existing.emailVerified())) {
                    return new Upserted(users.findById(existing.id()).orElseThrow(), false);
                }
                continue;
            }
            Optional<UserRecord> created = users.createForStore(externalId, normalized, name);
            if (created.isPresent()) {
                return new Upserted(created.get(), true);
            }
            // a concurrent upsert (same store id or same email) won the insert: look again
        }
        throw new ApiException(HttpStatus.CONFLICT, "CONCURRENT_UPDATE", "The customer changed meanwhile; retry");
    }

    /** The customer a store id names; 404 when the store never upserted it. */
    public UserRecord require(String externalId) {
        return users.findByExternalId(externalId).orElseThrow(() -> ApiException.notFound("Customer"));
    }

    private UserRecord update(UserRecord customer, String email, String name) {
        if (!customer.email().equals(email) || !name.equals(customer.name())) {
            if (!users.updateProfile(customer.id(), email, name)) {
                throw emailTaken();
            }
        }
        return users.findById(customer.id()).orElseThrow(() -> ApiException.notFound("Customer"));
    }

    /** Only a plain customer not yet tied to another store id; never a staff account. */
    private static boolean linkable(UserRecord user) {
        return user.externalId() == null && user.roles().equals(java.util.Set.of(Roles.CLIENT)) && !user.disabled();
    }

    private static ApiException emailTaken() {
        return new ApiException(HttpStatus.CONFLICT, "EMAIL_TAKEN", "Another account already uses this email",
                Map.of("field", "email"));
    }
}
