package com.admintk.orchestrator.payment;

/** Metadata put on the provider payment so it can be traced back (Stripe {@code metadata[order_id]}...). */
public record CardPaymentContext(String paymentId, String orderId, String customerId, String customerEmail,
                                 String description) {
}
