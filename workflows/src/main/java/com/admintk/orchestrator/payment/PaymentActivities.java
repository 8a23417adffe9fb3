package com.admintk.orchestrator.payment;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Money movements, on the {@code payments} task queue. Every method takes the key that makes it safe to repeat;
 * the keys come from {@link PaymentIds}, never from the activity.
 */
@ActivityInterface
public interface PaymentActivities {

    /**
     * Debits the wallet atomically (single-document conditional update) under a unique ledger key; a repeat returns
     * the first entry. Fails non-retryably with {@link PaymentFailures#INSUFFICIENT_FUNDS}.
     */
    @ActivityMethod
    LedgerDebit debit(String ledgerKey, String customerId, long coins);

    /**
     * Creates the provider payment (Stripe PaymentIntent) with this idempotency key. A decline fails non-retryably
     * with {@link PaymentFailures#PAYMENT_DECLINED}, a rejected request with {@link PaymentFailures#PAYMENT_INVALID}.
     */
    @ActivityMethod
    CardPayment createCardPayment(String idempotencyKey, long amountMinor, String currency, CardPaymentContext context);

    /**
     * Cancels the provider payment so it can no longer be paid. Answers its final status: {@code canceled}, or
     * {@code succeeded} when the customer paid before the cancel landed (then the caller owns the money). Safe to
     * repeat: an already cancelled payment answers {@code canceled}.
     */
    @ActivityMethod
    CardPaymentStatus cancelCardPayment(String idempotencyKey, String providerPaymentId);

    /**
     * Gives back what the payment took, idempotent by {@code refundKey}: for TK-Coins a ledger credit keyed by the
     * refund key, made only when the debit {@code debitLedgerKey} exists; for card a provider refund with the refund
     * key as idempotency key, made only when the payment succeeded. Answers {@code refunded=false} when there was
     * nothing to give back. A refusal fails with {@link PaymentFailures#REFUND_REJECTED}, left to the retry options.
     */
    @ActivityMethod
    RefundReceipt refund(String refundKey, RefundRequest request);

    /**
     * Gives {@code coins} TK-Coins to the customer's wallet once per {@code ledgerKey} (a downgrade's prorated
     * credit, keyed by the change): a repeat answers the first entry and gives nothing more.
     */
    @ActivityMethod
    LedgerCredit creditWallet(String ledgerKey, String customerId, long coins, String reason);
}
