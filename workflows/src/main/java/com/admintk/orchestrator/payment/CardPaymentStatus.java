package com.admintk.orchestrator.payment;

/** The provider payment's status after a cancel attempt: {@code canceled}, or {@code succeeded} when it was too late. */
public record CardPaymentStatus(String providerPaymentId, String status) {

    public boolean succeeded() {
        return "succeeded".equals(status);
    }
}
