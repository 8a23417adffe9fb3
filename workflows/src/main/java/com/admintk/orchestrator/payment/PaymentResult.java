package com.admintk.orchestrator.payment;

/**
 * What a completed {@link PaymentWorkflow} took. {@code charged} is always true for a completed payment (a payment
 * that took nothing fails instead); it is explicit so stored results read unambiguously.
 */
public record PaymentResult(String paymentId,
                            PaymentMethod method,
                            boolean charged,
                            String ledgerEntryId,
                            String providerPaymentId,
                            long coins,
                            long amountMinor,
                            String currency) {
}
