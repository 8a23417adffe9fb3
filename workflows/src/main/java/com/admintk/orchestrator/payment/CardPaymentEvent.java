package com.admintk.orchestrator.payment;

/**
 * A verified provider webhook, delivered as the {@link PaymentWorkflow#webhook} signal. {@code type} is the Stripe
 * event type, e.g. {@code payment_intent.succeeded} or {@code payment_intent.payment_failed}.
 */
public record CardPaymentEvent(String eventId, String type, String providerPaymentId, long amountMinor,
                               String currency, String failureMessage) {

    public static final String SUCCEEDED = "payment_intent.succeeded";
    public static final String PAYMENT_FAILED = "payment_intent.payment_failed";

    public boolean succeeded() {
        return SUCCEEDED.equals(type);
    }

    public boolean paymentFailed() {
        return PAYMENT_FAILED.equals(type);
    }
}
