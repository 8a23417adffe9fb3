package com.admintk.orchestrator.wallet;

/** Reason codes of a failed top-up that are not the payment's own ({@code PaymentFailures}). */
public final class TopUpFailures {

    /** The card was charged but the wallet refused the credit for good; the payment was refunded. */
    public static final String CREDIT_FAILED = "CREDIT_FAILED";

    /** Raised by {@link WalletActivities#credit}: the ledger key holds another movement. Non-retryable. */
    public static final String LEDGER_KEY_REUSED = "LEDGER_KEY_REUSED";

    private TopUpFailures() {
    }
}
