package com.admintk.orchestrator.payment;

import com.stripe.exception.StripeException;
import com.stripe.model.Refund;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PaymentActivities} on the {@code payments} task queue: TK-Coins through {@link Wallets}, cards through
 * {@link StripeGateway}. Decisions stay in the workflow; this class only moves money under the keys it is given and
 * translates refusals into {@link PaymentFailures} types.
 */
@Singleton
public class PaymentActivitiesImpl implements PaymentActivities {

    private static final Logger log = LoggerFactory.getLogger(PaymentActivitiesImpl.class);

    private final Wallets wallets;
    private final StripeGateway stripe;

    public PaymentActivitiesImpl(Wallets wallets, StripeGateway stripe) {
        this.wallets = wallets;
        this.stripe = stripe;
    }

    @Override
    public LedgerDebit debit(String ledgerKey, String customerId, long coins) {
        try {
            WalletEntry entry = wallets.debit(ledgerKey, customerId, coins, "payment " + ledgerKey);
            return new LedgerDebit(entry.key(), entry.key(), entry.coins(), entry.balanceAfter());
        } catch (WalletException e) {
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.code());
        }
    }

    @Override
    public LedgerCredit creditWallet(String ledgerKey, String customerId, long coins, String reason) {
        try {
            WalletEntry entry = wallets.credit(ledgerKey, customerId, coins, reason == null ? "credit " + ledgerKey
                    : reason);
            return new LedgerCredit(entry.key(), entry.key(), entry.coins(), entry.balanceAfter());
        } catch (WalletException e) {
            // A key reused with another amount is a bug upstream: retrying cannot fix it.
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.code());
        }
    }

    @Override
    public CardPayment createCardPayment(String idempotencyKey, long amountMinor, String currency,
                                         CardPaymentContext context) {
        try {
            return stripe.createPaymentIntent(idempotencyKey, amountMinor, currency, context);
        } catch (StripeException e) {
            throw StripeFailures.map("create payment " + context.paymentId(), e);
        }
    }

    @Override
    public CardPaymentStatus cancelCardPayment(String idempotencyKey, String providerPaymentId) {
        try {
            return new CardPaymentStatus(providerPaymentId, stripe.cancel(idempotencyKey, providerPaymentId));
        } catch (StripeException e) {
            if (!StripeFailures.hasCode(e, "payment_intent_unexpected_state")) {
                throw StripeFailures.map("cancel " + providerPaymentId, e);
            }
        }
        // Already succeeded or already canceled: the intent's own status is the answer.
        String status = currentStatus(providerPaymentId);
        if ("succeeded".equals(status) || "canceled".equals(status)) {
            return new CardPaymentStatus(providerPaymentId, status);
        }
        // processing: the provider has not decided yet; ask again later.
        throw ApplicationFailure.newFailure("payment " + providerPaymentId + " is " + status + ", not cancellable yet",
                StripeFailures.STRIPE_UNAVAILABLE);
    }

    /**
     * Refusals are typed {@link PaymentFailures#REFUND_REJECTED} but left retryable: a refund is a compensation,
     * and its retry options keep trying for hours before the saga gives up and alerts (an operator may top up the
     * provider balance or fix the account meanwhile).
     */
    @Override
    public RefundReceipt refund(String refundKey, RefundRequest request) {
        return request.method() == PaymentMethod.TKCOINS ? refundCoins(refundKey, request) : refundCard(refundKey, request);
    }

    private RefundReceipt refundCoins(String refundKey, RefundRequest request) {
        String reason = Optional.ofNullable(request.reason()).orElse("refund");
        try {
            // Voiding first closes the race with a debit attempt still in flight: after this, the key either
            // holds the landed debit (give it back) or a void (a late debit takes nothing).
            WalletEntry debit = wallets.voidDebit(request.debitLedgerKey(), request.customerId(), reason);
            if (debit.type() != WalletEntry.Type.DEBIT) {
                return new RefundReceipt(refundKey, false, null, 0, 0);
            }
            WalletEntry credit = wallets.refund(refundKey, debit.key(), request.customerId(), debit.coins(),
                    "refund of " + debit.key() + ": " + reason);
            log.info("refunded {} TK-Coins to {} under {}", credit.coins(), request.customerId(), refundKey);
            return new RefundReceipt(refundKey, true, credit.key(), credit.coins(), 0);
        } catch (WalletException e) {
            throw ApplicationFailure.newFailure(e.getMessage(), PaymentFailures.REFUND_REJECTED);
        }
    }

    private RefundReceipt refundCard(String refundKey, RefundRequest request) {
        String intentId = request.providerPaymentId();
        if (intentId == null) {
            return new RefundReceipt(refundKey, false, null, 0, 0);
        }
        if (!"succeeded".equals(currentStatus(intentId))) {
            // Nothing was captured: there is no money to give back.
            return new RefundReceipt(refundKey, false, null, 0, 0);
        }
        try {
            Refund refund = stripe.refund(refundKey, intentId, request.reason());
            if ("failed".equals(refund.getStatus()) || "canceled".equals(refund.getStatus())) {
                throw ApplicationFailure.newFailure("refund " + refund.getId() + " of " + intentId
                        + " " + refund.getStatus() + ": " + refund.getFailureReason(), PaymentFailures.REFUND_REJECTED);
            }
            return new RefundReceipt(refundKey, true, refund.getId(), 0,
                    Optional.ofNullable(refund.getAmount()).orElse(request.amountMinor()));
        } catch (StripeException e) {
            if (StripeFailures.hasCode(e, "charge_already_refunded")) {
                // Refunded by someone else (an operator in the dashboard): the money is back either way.
                return new RefundReceipt(refundKey, true, null, 0, request.amountMinor());
            }
            ApplicationFailure failure = StripeFailures.map("refund " + intentId, e);
            if (failure.isNonRetryable()) {
                throw ApplicationFailure.newFailureWithCause(failure.getOriginalMessage(),
                        PaymentFailures.REFUND_REJECTED, e);
            }
            throw failure;
        }
    }

    private String currentStatus(String intentId) {
        try {
            return stripe.status(intentId);
        } catch (StripeException e) {
            throw StripeFailures.map("read " + intentId, e);
        }
    }
}
