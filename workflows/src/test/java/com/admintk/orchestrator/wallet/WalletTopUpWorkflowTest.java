package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.payment.CardPaymentEvent;
import com.admintk.orchestrator.payment.PaymentFailures;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.admintk.orchestrator.wallet.TopUpRig.CUSTOMER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalletTopUpWorkflowTest {

    private final TopUpRig rig = new TopUpRig();

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void aPaidTopUpCreditsTheCoinsOnceUnderTheTopUpsKeyEvenWhenTheWebhookComesTwice() {
        PaymentWorkflow payment = rig.startAndAwaitCustomer(TopUpRig.request("top_paid", 500));
        assertEquals(0, rig.ledger.entries().size(), "nothing is credited before the payment");
        assertEquals("pi_" + TopUpIds.paymentId("top_paid"), payment.details().providerPaymentId());

        int foundClosed = rig.customerPays(payment, 2);
        TopUpResult result = rig.resultOf("top_paid");

        assertEquals(TopUpStatus.CREDITED, result.status());
        assertEquals(TopUpIds.creditKey("top_paid"), result.ledgerKey());
        assertEquals(500, result.balanceAfter());
        assertEquals(500, rig.ledger.balance(CUSTOMER));
        assertEquals(List.of(new WalletCredit(TopUpIds.creditKey("top_paid"), 500, 500)), rig.ledger.entries());
        assertEquals(1, rig.journal.count("wallet.credit:"), rig.journal.entries().toString());
        assertEquals(1, payment.details().webhookEventsIgnored() + foundClosed,
                "the second delivery was ignored, or found the payment finished");
        assertEquals("CREDITED", rig.records.status("top_paid"));
        assertTrue(rig.journal.indexOf("wallet.credit:") < rig.journal.indexOf("records.credited:top_paid"),
                rig.journal.entries().toString());
        assertEquals(0, rig.journal.count("payments.refund:"));
    }

    @Test
    void aDeclinedCardCreditsNothingAndTheTopUpFails() {
        PaymentWorkflow payment = rig.startAndAwaitCustomer(TopUpRig.request("top_declined", 500));
        String pi = payment.details().providerPaymentId();

        payment.webhook(new CardPaymentEvent("evt_fail", CardPaymentEvent.PAYMENT_FAILED, pi, 500, "eur",
                "Your card was declined."));
        TopUpResult result = rig.resultOf("top_declined");

        assertEquals(TopUpStatus.FAILED, result.status());
        assertEquals(PaymentFailures.PAYMENT_DECLINED, result.reasonCode());
        assertNull(result.ledgerKey());
        assertEquals(0, rig.journal.count("wallet.credit:"), rig.journal.entries().toString());
        assertEquals(0, rig.ledger.balance(CUSTOMER));
        assertEquals("FAILED", rig.records.status("top_declined"));
        assertEquals(1, rig.journal.count("records.failed:top_declined:PAYMENT_DECLINED"));
    }

    @Test
    void noPaymentBeforeTheDeadlineCreditsNothingAndClosesThePaymentIntent() {
        PaymentWorkflow payment = rig.startAndAwaitCustomer(TopUpRig.request("top_expired", 500));
        String pi = payment.details().providerPaymentId();

        rig.env.sleep(Duration.ofMinutes(11));
        TopUpResult result = rig.resultOf("top_expired");

        assertEquals(TopUpStatus.FAILED, result.status());
        assertEquals(PaymentFailures.PAYMENT_TIMEOUT, result.reasonCode());
        assertEquals("canceled", rig.payments.intentStatus(pi));
        assertEquals(0, rig.journal.count("wallet.credit:"));
        assertEquals(0, rig.ledger.balance(CUSTOMER));
        assertEquals("FAILED", rig.records.status("top_expired"));
    }

    @Test
    void aCreditWhoseAnswerIsLostIsRetriedUnderTheSameKeyAndLandsOnce() {
        rig.ledger.loseAnswers = 2;
        PaymentWorkflow payment = rig.startAndAwaitCustomer(TopUpRig.request("top_retried", 700));

        rig.customerPays(payment, 1);
        TopUpResult result = rig.resultOf("top_retried");

        assertEquals(TopUpStatus.CREDITED, result.status());
        assertEquals(List.of(TopUpIds.creditKey("top_retried"), TopUpIds.creditKey("top_retried"),
                TopUpIds.creditKey("top_retried")), rig.ledger.attemptKeys(), "three attempts, one key");
        assertEquals(1, rig.ledger.entries().size());
        assertEquals(700, rig.ledger.balance(CUSTOMER));
        assertEquals(1, rig.journal.count("records.credited:top_retried"));
    }

    @Test
    void aCreditTheWalletRefusesForGoodRefundsTheCardAndFails() {
        rig.ledger.refuse = true;
        PaymentWorkflow payment = rig.startAndAwaitCustomer(TopUpRig.request("top_refused", 500));
        String pi = payment.details().providerPaymentId();

        rig.customerPays(payment, 1);
        TopUpResult result = rig.resultOf("top_refused");

        assertEquals(TopUpStatus.FAILED, result.status());
        assertEquals(TopUpFailures.CREDIT_FAILED, result.reasonCode());
        assertEquals("refunded", rig.payments.intentStatus(pi));
        assertEquals(1, rig.journal.count("wallet.credit:"), "a refusal for good is not retried");
        assertEquals(0, rig.ledger.balance(CUSTOMER));
        assertEquals("FAILED", rig.records.status("top_refused"));
    }
}
