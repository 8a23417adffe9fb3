package com.admintk.orchestrator.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PaymentActivitiesImplTest {

    private static MongoForTests mongo;
    private static FakeStripe fakeStripe;
    private static Wallets wallets;
    private static StripeGateway gateway;
    private static PaymentActivitiesImpl payments;

    @BeforeAll
    static void start() {
        mongo = new MongoForTests();
        fakeStripe = FakeStripe.start();
        wallets = new Wallets(mongo.database());
        gateway = new StripeGateway(StripeSettings.of("sk_test_x", fakeStripe.apiBase(), fakeStripe.webhookSecret()));
        payments = new PaymentActivitiesImpl(wallets, gateway);
    }

    @AfterAll
    static void stop() {
        fakeStripe.close();
        mongo.close();
    }

    @BeforeEach
    void clean() {
        fakeStripe.reset();
    }

    private static CardPaymentContext context(String paymentId) {
        return new CardPaymentContext(paymentId, "order-" + paymentId, "cust-1", "demo@admin-tk.local", "Plan S");
    }

    private static RefundRequest coinRefund(String paymentId, String customerId, long coins) {
        return new RefundRequest(paymentId, "o", customerId, PaymentMethod.TKCOINS, PaymentIds.debitKey(paymentId),
                coins, null, 0, null, "install failed");
    }

    private static RefundRequest cardRefund(String paymentId, String intentId, long amount) {
        return new RefundRequest(paymentId, "o", "cust-1", PaymentMethod.CARD, null, 0, intentId, amount, "eur",
                "install failed");
    }

    // ------------------------------------------------------------------ TK-Coins

    @Test
    void aRepeatedDebitActivityTakesTheCoinsOnce() {
        wallets.ensureWallet("tk-1", 1_000);
        LedgerDebit first = payments.debit("debit:p1", "tk-1", 600);
        LedgerDebit again = payments.debit("debit:p1", "tk-1", 600);
        assertEquals(first, again);
        assertEquals(400, first.balanceAfter());
        assertEquals(400, wallets.balance("tk-1"));
    }

    @Test
    void missingFundsFailNonRetryablyAsInsufficientFunds() {
        wallets.ensureWallet("tk-2", 10);
        ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> payments.debit("debit:p2", "tk-2", 11));
        assertEquals(PaymentFailures.INSUFFICIENT_FUNDS, f.getType());
        assertTrue(f.isNonRetryable());
    }

    @Test
    void aCoinRefundGivesTheDebitBackOnceAndNothingWithoutADebit() {
        wallets.ensureWallet("tk-3", 1_000);
        payments.debit("debit:p3", "tk-3", 300);
        RefundReceipt receipt = payments.refund("refund:p3", coinRefund("p3", "tk-3", 300));
        RefundReceipt again = payments.refund("refund:p3", coinRefund("p3", "tk-3", 300));
        assertTrue(receipt.refunded());
        assertEquals(300, receipt.coins());
        assertEquals(receipt, again);
        assertEquals(1_000, wallets.balance("tk-3"));

        // A second run of the same payment finds its debit refunded: that is no payment.
        ApplicationFailure replayed = assertThrows(ApplicationFailure.class, () -> payments.debit("debit:p3", "tk-3", 300));
        assertEquals(WalletException.DEBIT_REFUNDED, replayed.getType());
        assertTrue(replayed.isNonRetryable());
        assertEquals(1_000, wallets.balance("tk-3"));

        RefundReceipt nothing = payments.refund("refund:p4", coinRefund("p4", "tk-3", 300));
        assertFalse(nothing.refunded());
        assertEquals(1_000, wallets.balance("tk-3"));
        // The debit attempt that arrives after its refund takes nothing.
        ApplicationFailure late = assertThrows(ApplicationFailure.class, () -> payments.debit("debit:p4", "tk-3", 300));
        assertTrue(late.isNonRetryable());
        assertEquals(1_000, wallets.balance("tk-3"));
    }

    // ------------------------------------------------------------------ card

    @Test
    void aWalletCreditIsGivenOncePerKey() {
        wallets.ensureWallet("tk-9", 100);
        LedgerCredit first = payments.creditWallet("credit:server:s-9:change-plan:r1", "tk-9", 150, "downgrade");
        LedgerCredit again = payments.creditWallet("credit:server:s-9:change-plan:r1", "tk-9", 150, "downgrade");
        assertEquals(250, first.balanceAfter());
        assertEquals(first, again);
        assertEquals(250, wallets.balance("tk-9"));
    }

    @Test
    void aCardPaymentIsCreatedOnceWithItsMetadata() {
        CardPayment first = payments.createCardPayment("pi:c1", 1999, "EUR", context("c1"));
        CardPayment again = payments.createCardPayment("pi:c1", 1999, "EUR", context("c1"));
        assertEquals(first, again);
        assertEquals("requires_payment_method", first.status());
        assertTrue(first.clientSecret().startsWith(first.providerPaymentId()));
        Map<String, Object> stored = fakeStripe.paymentIntent(first.providerPaymentId()).orElseThrow();
        assertEquals("eur", stored.get("currency"));
        assertEquals(Map.of("order_id", "order-c1", "payment_id", "c1", "customer_id", "cust-1"), stored.get("metadata"));
        assertEquals(Map.of("enabled", true), stored.get("automatic_payment_methods"));
        assertEquals(1, fakeStripe.paymentIntents().size());
    }

    @Test
    void aDeclineFailsNonRetryablyAsPaymentDeclined() {
        ApplicationFailure f = assertThrows(ApplicationFailure.class,
                () -> payments.createCardPayment("pi:c2", FakeStripe.DECLINED_AMOUNT, "eur", context("c2")));
        assertEquals(PaymentFailures.PAYMENT_DECLINED, f.getType());
        assertTrue(f.isNonRetryable());
    }

    @Test
    void anInvalidRequestFailsNonRetryablyAsPaymentInvalid() {
        ApplicationFailure f = assertThrows(ApplicationFailure.class,
                () -> payments.createCardPayment("pi:c3", 1999, "euro", context("c3")));
        assertEquals(PaymentFailures.PAYMENT_INVALID, f.getType());
        assertTrue(f.isNonRetryable());
        payments.createCardPayment("pi:c3b", 1999, "eur", context("c3"));
        ApplicationFailure reused = assertThrows(ApplicationFailure.class,
                () -> payments.createCardPayment("pi:c3b", 2999, "eur", context("c3")));
        assertEquals(PaymentFailures.PAYMENT_INVALID, reused.getType());
    }

    @Test
    void outagesAndRateLimitsAreRetryableAndTheRetryCreatesOneIntent() {
        fakeStripe.failNext(1, 500);
        fakeStripe.failNext(1, 429);
        ApplicationFailure outage = assertThrows(ApplicationFailure.class,
                () -> payments.createCardPayment("pi:c4", 1500, "eur", context("c4")));
        ApplicationFailure limited = assertThrows(ApplicationFailure.class,
                () -> payments.createCardPayment("pi:c4", 1500, "eur", context("c4")));
        assertFalse(outage.isNonRetryable());
        assertFalse(limited.isNonRetryable());
        payments.createCardPayment("pi:c4", 1500, "eur", context("c4"));
        assertEquals(1, fakeStripe.paymentIntents().size());
    }

    @Test
    void unreachableStripeIsRetryable() {
        PaymentActivitiesImpl offline = new PaymentActivitiesImpl(wallets,
                new StripeGateway(StripeSettings.of("sk_test_x", "http://127.0.0.1:1", "whsec")));
        ApplicationFailure f = assertThrows(ApplicationFailure.class,
                () -> offline.createCardPayment("pi:c5", 1500, "eur", context("c5")));
        assertFalse(f.isNonRetryable());
    }

    @Test
    void cancelAnswersCanceledAndIsSafeToRepeat() {
        CardPayment pi = payments.createCardPayment("pi:c6", 1500, "eur", context("c6"));
        assertEquals("canceled", payments.cancelCardPayment("cancel:c6", pi.providerPaymentId()).status());
        assertEquals("canceled", payments.cancelCardPayment("cancel:c6", pi.providerPaymentId()).status());
        assertEquals("canceled", payments.cancelCardPayment("cancel:c6-other", pi.providerPaymentId()).status());
    }

    @Test
    void cancellingAPaidIntentAnswersSucceeded() {
        CardPayment pi = payments.createCardPayment("pi:c7", 1500, "eur", context("c7"));
        fakeStripe.succeed(pi.providerPaymentId());
        CardPaymentStatus status = payments.cancelCardPayment("cancel:c7", pi.providerPaymentId());
        assertTrue(status.succeeded());
    }

    @Test
    void aCardRefundHappensOnlyForAPaidIntentAndOnce() {
        CardPayment unpaid = payments.createCardPayment("pi:c8", 1500, "eur", context("c8"));
        RefundReceipt nothing = payments.refund("refund:c8", cardRefund("c8", unpaid.providerPaymentId(), 1500));
        assertFalse(nothing.refunded());
        assertFalse(payments.refund("refund:c8x", cardRefund("c8x", null, 1500)).refunded());

        CardPayment paid = payments.createCardPayment("pi:c9", 2500, "eur", context("c9"));
        fakeStripe.succeed(paid.providerPaymentId());
        RefundReceipt first = payments.refund("refund:c9", cardRefund("c9", paid.providerPaymentId(), 2500));
        RefundReceipt again = payments.refund("refund:c9", cardRefund("c9", paid.providerPaymentId(), 2500));
        assertTrue(first.refunded());
        assertEquals(2500, first.amountMinor());
        assertEquals(first, again);
        assertEquals(1, fakeStripe.refunds().size());
        RefundReceipt otherKey = payments.refund("refund:c9-b", cardRefund("c9", paid.providerPaymentId(), 2500));
        assertTrue(otherKey.refunded(), "already refunded counts as given back");
        assertNull(otherKey.refundId());
        assertEquals(1, fakeStripe.refunds().size());
    }

    @Test
    void aFailedRefundIsTypedRejectedAndLeftToTheCompensationsRetries() {
        CardPayment paid = payments.createCardPayment("pi:c10", 2500, "eur", context("c10"));
        fakeStripe.succeed(paid.providerPaymentId());
        fakeStripe.failRefunds(true);
        ApplicationFailure f = assertThrows(ApplicationFailure.class,
                () -> payments.refund("refund:c10", cardRefund("c10", paid.providerPaymentId(), 2500)));
        assertEquals(PaymentFailures.REFUND_REJECTED, f.getType());
        assertFalse(f.isNonRetryable());
    }

    // ------------------------------------------------------------------ webhooks

    @Test
    void aSignedWebhookBecomesTheWorkflowSignal() throws Exception {
        CardPayment pi = payments.createCardPayment("pi:c11", 1200, "eur", context("c11"));
        FakeStripe.SignedEvent succeeded = fakeStripe.succeed(pi.providerPaymentId());
        CardPaymentEvent event = gateway.verifyWebhook(succeeded.payload(), succeeded.signatureHeader());
        assertEquals(new CardPaymentEvent(succeeded.eventId(), CardPaymentEvent.SUCCEEDED, pi.providerPaymentId(),
                1200, "eur", null), event);

        CardPayment other = payments.createCardPayment("pi:c12", 1300, "eur", context("c12"));
        FakeStripe.SignedEvent failed = fakeStripe.fail(other.providerPaymentId(), "Insufficient funds.");
        CardPaymentEvent failure = gateway.verifyWebhook(failed.payload(), failed.signatureHeader());
        assertTrue(failure.paymentFailed());
        assertEquals("Insufficient funds.", failure.failureMessage());
    }

    @Test
    void aWebhookWithABadSignatureIsRejected() {
        CardPayment pi = payments.createCardPayment("pi:c13", 1200, "eur", context("c13"));
        FakeStripe.SignedEvent signed = fakeStripe.succeed(pi.providerPaymentId());
        assertThrows(com.stripe.exception.SignatureVerificationException.class,
                () -> gateway.verifyWebhook(signed.payload().replace("1200", "1"), signed.signatureHeader()));
        assertThrows(com.stripe.exception.SignatureVerificationException.class,
                () -> gateway.verifyWebhook(signed.payload(), "t=1,v1=deadbeef"));
    }
}
