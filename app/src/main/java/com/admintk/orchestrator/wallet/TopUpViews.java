package com.admintk.orchestrator.wallet;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the top-up routes answer. */
public final class TopUpViews {

    private TopUpViews() {
    }

    /**
     * A top-up. {@code amountMinor} in {@code currency} is what the card pays for {@code coins}. While
     * {@code payment.status} is {@code AWAITING_CUSTOMER}, the store's front end confirms the payment with
     * {@code payment.clientSecret} (Stripe.js), as for a card checkout. {@code reason} (the raw cause) is for admins.
     */
    @Serdeable
    public record TopUp(String topUpId,
                        String customerId,
                        String status,
                        long coins,
                        long amountMinor,
                        String currency,
                        Payment payment,
                        String reasonCode,
                        String reason,
                        Instant createdAt,
                        Instant updatedAt,
                        Map<String, String> links) {
    }

    /** The card payment: its live status while the top-up is pending. */
    @Serdeable
    public record Payment(String method, String status, String providerPaymentId, String clientSecret) {
    }

    @Serdeable
    public record Page(List<TopUp> items, int page, int size, long total) {
    }
}
