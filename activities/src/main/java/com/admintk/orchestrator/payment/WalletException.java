package com.admintk.orchestrator.payment;

/** A wallet operation refused for good. {@code code} is a stable UPPER_SNAKE string for HTTP errors and failures. */
public class WalletException extends RuntimeException {

    /** The balance is lower than the debit. */
    public static final String INSUFFICIENT_FUNDS = PaymentFailures.INSUFFICIENT_FUNDS;
    /** The ledger key was already used for another customer, direction or amount. */
    public static final String LEDGER_KEY_REUSED = "LEDGER_KEY_REUSED";
    /** The debit key was voided by a refund that came first: this payment was given up. */
    public static final String DEBIT_VOIDED = "DEBIT_VOIDED";
    /** The debit under this key was refunded: it paid for nothing, so it cannot pay for a repeat either. */
    public static final String DEBIT_REFUNDED = "DEBIT_REFUNDED";

    private final String code;

    public WalletException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
