package com.admintk.orchestrator.payment;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.admintk.orchestrator.testing.SagaRig.CUSTOMER;
import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaymentWorkflowTest {

    private final SagaRig rig = new SagaRig();

    @AfterEach
    void close() {
        rig.close();
    }

    private static PaymentRequest coins(String paymentId, long coins) {
        return new PaymentRequest(paymentId, "o-" + paymentId, CUSTOMER, "demo@admin-tk.local", PaymentMethod.TKCOINS,
                coins, 0, null, "test", 0);
    }

    private static PaymentRequest card(String paymentId) {
        return new PaymentRequest(paymentId, "o-" + paymentId, CUSTOMER, "demo@admin-tk.local", PaymentMethod.CARD,
                0, 999, "eur", "test", 600);
    }

    private PaymentWorkflow stub(String paymentId) {
        return rig.client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(PaymentIds.workflowId(paymentId)).setTaskQueue(TaskQueues.ORCHESTRATION).build());
    }

    private PaymentWorkflow startCard(String paymentId) {
        WorkflowClient.start(stub(paymentId)::pay, card(paymentId));
        PaymentWorkflow running = rig.paymentStub(PaymentIds.workflowId(paymentId));
        eventually(() -> running.details().status() == PaymentStatus.AWAITING_CUSTOMER);
        return running;
    }

    private static String failureType(WorkflowFailedException e) {
        return ((ApplicationFailure) e.getCause()).getType();
    }

    @Test
    void tkCoinsDebitIsKeyedByThePaymentId() {
        PaymentResult result = stub("p1").pay(coins("p1", 300));

        assertTrue(result.charged());
        assertEquals(9_700, rig.payments.balance(CUSTOMER));
        assertEquals(1, rig.journal.count("payments.debit:debit:p1"));
    }

    @Test
    void insufficientFundsFailsWithoutRetryingOrCharging() {
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub("p2").pay(coins("p2", 50_000)));

        assertEquals(PaymentFailures.INSUFFICIENT_FUNDS, failureType(e));
        assertEquals(1, rig.journal.count("payments.debit"));
        assertEquals(10_000, rig.payments.balance(CUSTOMER));
    }

    @Test
    void cardPaymentShowsItsClientSecretWhileWaiting() {
        PaymentWorkflow payment = startCard("p3");

        PaymentDetails details = payment.details();
        assertEquals("pi_p3", details.providerPaymentId());
        assertEquals("pi_p3_secret_x", details.clientSecret());
        assertEquals(1, rig.journal.count("payments.createCardPayment:pi:p3"));
    }

    @Test
    void duplicateAndForeignWebhooksAreIgnoredAndTheFirstDecisiveOneWins() {
        PaymentWorkflow payment = startCard("p4");
        for (int i = 0; i < 5; i++) {
            payment.webhook(new CardPaymentEvent("evt_proc", "payment_intent.processing", "pi_p4", 999, "eur", null));
        }
        payment.webhook(new CardPaymentEvent("evt_other", CardPaymentEvent.SUCCEEDED, "pi_someone_else", 999, "eur", null));
        eventually(() -> payment.details().webhookEventsAccepted() == 2);
        assertEquals(4, payment.details().webhookEventsIgnored());
        assertEquals(PaymentStatus.AWAITING_CUSTOMER, payment.details().status());

        rig.payments.customerPaid("pi_p4");
        payment.webhook(new CardPaymentEvent("evt_ok", CardPaymentEvent.SUCCEEDED, "pi_p4", 999, "eur", null));
        PaymentResult result = rig.untyped(PaymentIds.workflowId("p4")).getResult(PaymentResult.class);

        assertTrue(result.charged());
        assertEquals("pi_p4", result.providerPaymentId());
    }

    @Test
    void noWebhookBeforeTheDeadlineCancelsTheProviderPaymentAndTimesOut() {
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub("p5").pay(card("p5")));

        assertEquals(PaymentFailures.PAYMENT_TIMEOUT, failureType(e));
        assertEquals("canceled", rig.payments.intentStatus("pi_p5"));
    }

    @Test
    void aPaymentThatLandedJustBeforeTheDeadlineCounts() {
        startCard("p6");
        rig.payments.customerPaid("pi_p6"); // the webhook is lost

        PaymentResult result = rig.untyped(PaymentIds.workflowId("p6")).getResult(PaymentResult.class);

        assertTrue(result.charged());
        assertEquals("succeeded", rig.payments.intentStatus("pi_p6"));
    }

    @Test
    void declinedAtCreationFailsAsDeclined() {
        rig.payments.declineCardAtCreate = true;
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> stub("p7").pay(card("p7")));

        assertEquals(PaymentFailures.PAYMENT_DECLINED, failureType(e));
    }

    @Test
    void cancelledCardPaymentCancelsTheProviderPayment() {
        startCard("p8");
        rig.untyped(PaymentIds.workflowId("p8")).cancel();

        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> rig.untyped(PaymentIds.workflowId("p8")).getResult(PaymentResult.class));
        assertInstanceOf(CanceledFailure.class, e.getCause());
        assertEquals("canceled", rig.payments.intentStatus("pi_p8"));
        assertEquals(0, rig.journal.count("payments.refund"));
    }

    @Test
    void cancelledAfterThePaymentSucceededRefundsIt() {
        startCard("p9");
        rig.payments.customerPaid("pi_p9");
        rig.untyped(PaymentIds.workflowId("p9")).cancel();

        assertThrows(WorkflowFailedException.class,
                () -> rig.untyped(PaymentIds.workflowId("p9")).getResult(PaymentResult.class));
        assertEquals("refunded", rig.payments.intentStatus("pi_p9"));
        assertEquals(1, rig.journal.count("payments.refund:refund:p9"));
    }
}
