package com.admintk.orchestrator.payment;

/**
 * Answer of the {@link PaymentWorkflow#details()} query: the order resource shows {@code clientSecret} to the store
 * while the status is {@link PaymentStatus#AWAITING_CUSTOMER}.
 */
public record PaymentDetails(String paymentId,
                             PaymentMethod method,
                             PaymentStatus status,
                             String providerPaymentId,
                             String clientSecret,
                             String failureReason,
                             int webhookEventsAccepted,
                             int webhookEventsIgnored) {
}
