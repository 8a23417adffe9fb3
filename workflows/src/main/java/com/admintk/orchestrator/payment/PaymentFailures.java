package com.admintk.orchestrator.payment;

/**
 * {@code ApplicationFailure} types of the payment saga. A {@link PaymentWorkflow} that fails with any of them has
 * taken no money.
 */
public final class PaymentFailures {
    /** Raised by {@link PaymentActivities#debit}: the wallet balance is too low. Non-retryable. */
    public static final String INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS";
    /** The provider declined the card (402 card_error, or a {@code payment_intent.payment_failed} webhook). */
    public static final String PAYMENT_DECLINED = "PAYMENT_DECLINED";
    /** No decisive webhook before the deadline; the provider payment was cancelled. */
    public static final String PAYMENT_TIMEOUT = "PAYMENT_TIMEOUT";
    /** The provider rejected the request itself (400 invalid_request_error). Non-retryable. */
    public static final String PAYMENT_INVALID = "PAYMENT_INVALID";
    /** Anything else that stopped the payment; whatever was taken has been given back. */
    public static final String PAYMENT_ERROR = "PAYMENT_ERROR";
    /** Raised by {@link PaymentActivities#refund} when the wallet or provider refuses the refund (retried). */
    public static final String REFUND_REJECTED = "REFUND_REJECTED";

    private PaymentFailures() {
    }
}
