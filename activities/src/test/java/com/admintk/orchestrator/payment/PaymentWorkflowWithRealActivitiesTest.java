package com.admintk.orchestrator.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fixed {@link PaymentWorkflow} driven against the real activities: wallets in mongo-java-server, stripe-java
 * against the fake Stripe, webhooks verified by {@link StripeGateway} and delivered as signals, as the app will.
 */
class PaymentWorkflowWithRealActivitiesTest {

    private static MongoForTests mongo;
    private static FakeStripe fakeStripe;
    private static Wallets wallets;
    private static StripeGateway gateway;

    private TestWorkflowEnvironment env;
    private WorkflowClient client;

    @BeforeAll
    static void startInfrastructure() {
        mongo = new MongoForTests();
        fakeStripe = FakeStripe.start();
        wallets = new Wallets(mongo.database());
        gateway = new StripeGateway(StripeSettings.of("sk_test_x", fakeStripe.apiBase(), fakeStripe.webhookSecret()));
    }

    @AfterAll
    static void stopInfrastructure() {
        fakeStripe.close();
        mongo.close();
    }

    @BeforeEach
    void startTemporal() {
        TestEnvironmentOptions.Builder options = TestEnvironmentOptions.newBuilder();
        SearchAttributes.ALL.forEach(key ->
                options.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
        env = TestWorkflowEnvironment.newInstance(options.build());
        Worker orchestration = env.newWorker(TaskQueues.ORCHESTRATION);
        orchestration.registerWorkflowImplementationTypes(PaymentWorkflowImpl.class);
        env.newWorker(TaskQueues.PAYMENTS).registerActivitiesImplementations(new PaymentActivitiesImpl(wallets, gateway));
        env.start();
        client = env.getWorkflowClient();
    }

    @AfterEach
    void stopTemporal() {
        env.close();
    }

    private PaymentWorkflow stub(String paymentId) {
        return client.newWorkflowStub(PaymentWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setWorkflowId(PaymentIds.workflowId(paymentId))
                .build());
    }

    private static PaymentRequest coins(String paymentId, String customerId, long coins) {
        return new PaymentRequest(paymentId, "order-" + paymentId, customerId, "demo@admin-tk.local",
                PaymentMethod.TKCOINS, coins, 0, null, "Plan S", 0);
    }

    private static PaymentRequest card(String paymentId, long amountMinor, long deadlineSeconds) {
        return new PaymentRequest(paymentId, "order-" + paymentId, "cust-card", "demo@admin-tk.local",
                PaymentMethod.CARD, 0, amountMinor, "eur", "Plan S", deadlineSeconds);
    }

    private static String failureType(WorkflowFailedException e) {
        return assertInstanceOf(ApplicationFailure.class, e.getCause()).getType();
    }

    @Test
    void aCoinPaymentDebitsTheWalletOnce() {
        wallets.ensureWallet("wf-rich", 5_000);
        PaymentResult result = stub("wf-p1").pay(coins("wf-p1", "wf-rich", 1_200));
        assertTrue(result.charged());
        assertEquals(3_800, wallets.balance("wf-rich"));
        assertEquals(PaymentIds.debitKey("wf-p1"), result.ledgerEntryId());
    }

    @Test
    void aCoinPaymentWithoutFundsFailsAndTakesNothing() {
        wallets.ensureWallet("wf-poor", 100);
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> stub("wf-p2").pay(coins("wf-p2", "wf-poor", 1_200)));
        assertEquals(PaymentFailures.INSUFFICIENT_FUNDS, failureType(e));
        assertEquals(100, wallets.balance("wf-poor"));
    }

    @Test
    void aCardPaymentCompletesOnceOnAWebhookDeliveredFiveTimes() throws Exception {
        PaymentWorkflow payment = stub("wf-c1");
        WorkflowClient.start(payment::pay, card("wf-c1", 1999, 600));
        String intentId = awaitIntent(payment);
        FakeStripe.SignedEvent succeeded = fakeStripe.succeed(intentId);
        // A redelivery may find the payment already finished (it ends on the first one): the webhook sink treats
        // that as delivered, and so does this count.
        int afterFinish = 0;
        for (int i = 0; i < 5; i++) {
            FakeStripe.SignedEvent delivery = fakeStripe.resign(succeeded);
            try {
                payment.webhook(gateway.verifyWebhook(delivery.payload(), delivery.signatureHeader()));
            } catch (io.temporal.client.WorkflowNotFoundException finished) {
                assertTrue(i > 0, "the first delivery must reach the running payment");
                afterFinish++;
            }
        }
        PaymentResult result = WorkflowStub.fromTyped(payment).getResult(PaymentResult.class);
        assertEquals(intentId, result.providerPaymentId());
        assertEquals(1999, result.amountMinor());
        PaymentDetails details = payment.details();
        assertEquals(1, details.webhookEventsAccepted());
        assertEquals(4, details.webhookEventsIgnored() + afterFinish);
        assertEquals(1, fakeStripe.paymentIntents().stream().filter(pi -> intentId.equals(pi.get("id"))).count());
    }

    @Test
    void noWebhookBeforeTheDeadlineEndsWithTheIntentCancelledAndNothingCharged() {
        PaymentWorkflow payment = stub("wf-c2");
        WorkflowClient.start(payment::pay, card("wf-c2", 2999, 120));
        String intentId = awaitIntent(payment);
        env.sleep(Duration.ofSeconds(121));
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(payment).getResult(PaymentResult.class));
        assertEquals(PaymentFailures.PAYMENT_TIMEOUT, failureType(e));
        Map<String, Object> intent = fakeStripe.paymentIntent(intentId).orElseThrow();
        assertEquals("canceled", intent.get("status"));
    }

    @Test
    void aDeclinedCardFailsTheOrderAsDeclined() {
        WorkflowFailedException e = assertThrows(WorkflowFailedException.class,
                () -> stub("wf-c3").pay(card("wf-c3", FakeStripe.DECLINED_AMOUNT, 600)));
        assertEquals(PaymentFailures.PAYMENT_DECLINED, failureType(e));
    }

    @Test
    void aPaymentCancelledAfterTheCustomerPaidIsRefunded() {
        PaymentWorkflow payment = stub("wf-c4");
        WorkflowClient.start(payment::pay, card("wf-c4", 4999, 600));
        String intentId = awaitIntent(payment);
        fakeStripe.succeed(intentId); // paid, but the webhook has not arrived yet
        WorkflowStub.fromTyped(payment).cancel();
        assertThrows(WorkflowFailedException.class,
                () -> WorkflowStub.fromTyped(payment).getResult(PaymentResult.class));
        assertEquals(1, fakeStripe.refunds().stream().filter(r -> intentId.equals(r.get("payment_intent"))).count());
        assertEquals(PaymentStatus.CANCELLED, payment.details().status());
    }

    @Test
    void aCompletedCoinPaymentRefundedByTheSagaGivesTheCoinsBackOnce() {
        wallets.ensureWallet("wf-cancel", 2_000);
        PaymentWorkflow payment = stub("wf-p5");
        PaymentResult result = payment.pay(coins("wf-p5", "wf-cancel", 500));
        // The order's saga compensates a completed payment through the same activity.
        RefundReceipt receipt = new PaymentActivitiesImpl(wallets, gateway).refund(PaymentIds.refundKey("wf-p5"),
                RefundRequest.of(coins("wf-p5", "wf-cancel", 500), result, "install failed"));
        RefundReceipt again = new PaymentActivitiesImpl(wallets, gateway).refund(PaymentIds.refundKey("wf-p5"),
                RefundRequest.of(coins("wf-p5", "wf-cancel", 500), result, "install failed"));
        assertTrue(receipt.refunded());
        assertEquals(receipt, again);
        assertEquals(2_000, wallets.balance("wf-cancel"));
    }

    private String awaitIntent(PaymentWorkflow payment) {
        for (int i = 0; i < 200; i++) {
            PaymentDetails details = payment.details();
            if (details.providerPaymentId() != null && details.status() == PaymentStatus.AWAITING_CUSTOMER) {
                assertNotNull(details.clientSecret());
                return details.providerPaymentId();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the payment never reached AWAITING_CUSTOMER");
    }
}
