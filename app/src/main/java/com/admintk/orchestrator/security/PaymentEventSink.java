package com.admintk.orchestrator.security;

/**
 * Where a verified, first-seen payment provider event goes. The default bean ({@link RecordingPaymentEventSink})
 * only stores it; the payment code replaces it (with {@code @Replaces(RecordingPaymentEventSink.class)}) by one that
 * signals the payment workflow. Throwing makes the webhook answer 5xx so the provider retries.
 */
public interface PaymentEventSink {

    /**
     * @param provider "stripe"
     * @param eventId the provider's event id (evt_…), unique per provider
     * @param type e.g. payment_intent.succeeded
     * @param payload the verified raw JSON of the event
     */
    void accept(String provider, String eventId, String type, String payload);
}
