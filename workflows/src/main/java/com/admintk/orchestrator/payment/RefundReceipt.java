package com.admintk.orchestrator.payment;

/** {@code refunded} is false when there was nothing to give back (no debit under the key, payment not succeeded). */
public record RefundReceipt(String refundKey, boolean refunded, String refundId, long coins, long amountMinor) {
}
