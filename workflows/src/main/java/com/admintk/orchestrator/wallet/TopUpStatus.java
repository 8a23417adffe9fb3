package com.admintk.orchestrator.wallet;

public enum TopUpStatus {
    /** Waiting for the card payment. */
    PENDING,
    /** Paid, and the coins are in the wallet. */
    CREDITED,
    /** Not paid (declined, expired, cancelled) or given back: no coins. */
    FAILED;

    public boolean terminal() {
        return this != PENDING;
    }
}
