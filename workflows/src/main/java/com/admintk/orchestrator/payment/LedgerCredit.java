package com.admintk.orchestrator.payment;

/** A TK-Coins credit; a repeat with the same key returns the first entry. */
public record LedgerCredit(String ledgerKey, String entryId, long coins, long balanceAfter) {
}
