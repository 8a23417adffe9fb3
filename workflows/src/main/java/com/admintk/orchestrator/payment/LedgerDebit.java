package com.admintk.orchestrator.payment;

/** A TK-Coins ledger entry; a repeat with the same key returns the first entry. */
public record LedgerDebit(String ledgerKey, String entryId, long coins, long balanceAfter) {
}
