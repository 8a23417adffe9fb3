package com.admintk.orchestrator.payment;

public enum PaymentStatus {
    PENDING,
    /** Debit or provider call in flight. */
    CHARGING,
    /** Card: the client secret is out, waiting for the customer and the webhook. */
    AWAITING_CUSTOMER,
    SUCCEEDED,
    DECLINED,
    EXPIRED,
    FAILED,
    CANCELLED
}
