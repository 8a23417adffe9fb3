package com.admintk.orchestrator.payment;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Keys derived from the business ids, never random per attempt, so every side effect of a payment is safe to
 * repeat (DESIGN.md, Idempotency).
 */
public final class PaymentIds {

    private PaymentIds() {
    }

    /**
     * One payment per order attempt. The attempt number is part of the id so that an operator's retry of an order
     * whose first payment was refunded charges again instead of replaying the refunded debit.
     */
    public static String forOrder(String orderId, int attempt) {
        return orderId + "-p" + Math.max(1, attempt);
    }

    /**
     * One payment per server, billing period and dunning attempt: the period is the renewal date it pays for (UTC
     * day), so a lifecycle that continued as new or was replayed names the same payment, and the ledger never debits
     * one attempt twice.
     */
    public static String forRenewal(String serverId, long renewsAtMillis, int attempt) {
        return forRenewal(serverId, renewsAtMillis, 0, attempt);
    }

    /**
     * As {@link #forRenewal(String, long, int)}, for a lifecycle whose billing period lasts
     * {@code billingPeriodSeconds} (0: the plan's calendar cycle). A period shorter than a day is named by its
     * renewal instant to the second: by its day alone, the next period would name the paid payment again, and the
     * ledger would answer that debit instead of charging (a free renewal). Periods of a day or more keep the day, so
     * the ids of calendar cycles (and of recorded histories) stay the same.
     */
    public static String forRenewal(String serverId, long renewsAtMillis, long billingPeriodSeconds, int attempt) {
        ZonedDateTime renewal = Instant.ofEpochMilli(renewsAtMillis).atZone(ZoneOffset.UTC);
        String period = billingPeriodSeconds > 0 && billingPeriodSeconds < 86_400
                ? renewal.format(DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'"))
                : renewal.toLocalDate().format(DateTimeFormatter.BASIC_ISO_DATE);
        return serverId + "-r" + period + "-a" + attempt;
    }

    /**
     * A customer's "pay now": one payment per request, so a retried request names the same payment (and the same
     * ledger key) and can never be charged twice.
     */
    public static String forPayNow(String serverId, String requestId) {
        return serverId + "-n-" + requestId;
    }

    /** The prorated charge of one plan change, per request like {@link #forPayNow}. */
    public static String forPlanChange(String serverId, String requestId) {
        return serverId + "-c-" + requestId;
    }

    /** The ledger key of a TK-Coins credit that a change (a downgrade) gives, keyed by the change's id. */
    public static String creditKey(String changeId) {
        return "credit:" + changeId;
    }

    public static String workflowId(String paymentId) {
        return "payment:" + paymentId;
    }

    /** The ledger entry of a TK-Coins debit. */
    public static String debitKey(String paymentId) {
        return "debit:" + paymentId;
    }

    /** The provider's idempotency key for creating the card payment. */
    public static String cardPaymentKey(String paymentId) {
        return "pi:" + paymentId;
    }

    /** Ledger credit key for TK-Coins, provider idempotency key for card refunds. */
    public static String refundKey(String paymentId) {
        return "refund:" + paymentId;
    }
}
