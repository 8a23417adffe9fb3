package com.admintk.orchestrator.payment;

/**
 * Input of {@link PaymentWorkflow}. {@code coins} is used for {@link PaymentMethod#TKCOINS}; {@code amountMinor}
 * (smallest currency unit) and {@code currency} (ISO 4217, lower case as Stripe wants it) for {@link PaymentMethod#CARD}.
 */
public record PaymentRequest(String paymentId,
                             String orderId,
                             String customerId,
                             String customerEmail,
                             PaymentMethod method,
                             long coins,
                             long amountMinor,
                             String currency,
                             String description,
                             long cardDeadlineSeconds) {
}
