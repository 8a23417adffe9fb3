package com.admintk.orchestrator.payment;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * One line of a TK-Coins ledger. {@code key} is the ledger key that made it (unique, the idempotency key);
 * {@code coins} is positive for both kinds, {@code type} says which way it went. {@code VOID} marks a debit key
 * that was refunded before the debit ever landed, so a late debit under it takes nothing.
 */
@Serdeable
public record WalletEntry(String key, String customerId, Type type, long coins, long balanceAfter, String reason,
                          Instant createdAt) {

    public enum Type {
        DEBIT,
        CREDIT,
        VOID
    }
}
