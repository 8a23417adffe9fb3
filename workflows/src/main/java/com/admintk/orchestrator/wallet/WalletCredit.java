package com.admintk.orchestrator.wallet;

/** A TK-Coins credit as the ledger holds it; a repeat with the same key answers the first entry. */
public record WalletCredit(String ledgerKey, long coins, long balanceAfter) {
}
