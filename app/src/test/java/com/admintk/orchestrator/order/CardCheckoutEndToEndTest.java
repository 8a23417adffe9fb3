package com.admintk.orchestrator.order;

import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.localstack.stripe.StripeSignatures;
import com.admintk.orchestrator.payment.PaymentDetails;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import io.temporal.client.WorkflowClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 5, acceptance 2: the card path over HTTP, with the fake Stripe and webhooks signed as Stripe signs them. */
class CardCheckoutEndToEndTest {

    private static final Duration CARD_DEADLINE = Duration.ofSeconds(10);

    private static Shop shop;
    private static String token;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of("orchestrator.orders.card-payment-deadline", CARD_DEADLINE.toSeconds() + "s"));
        token = shop.login(Shop.DEMO);
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    void aCardCheckoutWaitsForTheWebhookThenCompletesActiveWithOneServer() {
        long coins = shop.balance(token);
        String orderId = Sagas.place(shop, token, Sagas.body("paper-2g", "card", null));

        Map<String, Object> waiting = Sagas.awaitCustomer(shop, token, orderId);
        Map<String, Object> payment = Sagas.payment(waiting);
        String pi = (String) payment.get("providerPaymentId");
        assertEquals("PROCESSING", waiting.get("status"));
        assertEquals("card", payment.get("method"));
        assertTrue(pi.startsWith("pi_"), pi);
        assertTrue(String.valueOf(payment.get("clientSecret")).startsWith(pi + "_secret_"), String.valueOf(payment));
        assertEquals("charge", waiting.get("currentStep"));
        Map<String, Object> intent = Sagas.intent(pi).orElseThrow();
        assertEquals(499, ((Number) intent.get("amount")).intValue());
        assertEquals("eur", intent.get("currency"));

        // Nothing moves without the webhook.
        Sagas.sleep(2_000);
        Map<String, Object> stillWaiting = shop.order(token, orderId);
        assertEquals("PROCESSING", stillWaiting.get("status"));
        assertEquals("AWAITING_CUSTOMER", Sagas.payment(stillWaiting).get("status"));
        assertTrue(Sagas.servers(orderId).isEmpty(), "no server before the payment");

        Sagas.Answer ack = Sagas.deliver(shop, TestStack.stripe().succeed(pi));
        assertEquals(200, ack.status(), ack.body());
        assertTrue(ack.body().contains("\"accepted\""), ack.body());

        Map<String, Object> done = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(60));
        assertEquals("ACTIVE", done.get("status"), () -> String.valueOf(done));
        assertNull(done.get("reason"));
        assertEquals(1, Sagas.servers(orderId).size(), "exactly one server");
        assertNull(Sagas.servers(orderId).get(0).status(), "installed");
        assertEquals(1, Sagas.intentsOfOrder(orderId).size(), "one PaymentIntent");
        assertEquals("succeeded", Sagas.intent(pi).orElseThrow().get("status"));
        assertTrue(Sagas.refundsOf(pi).isEmpty(), "no refund");
        assertEquals(coins, shop.balance(token), "a card order leaves the TK-Coins alone");
        assertTrue(Sagas.steps(done).values().stream().allMatch("DONE"::equals), String.valueOf(done.get("timeline")));
    }

    @Test
    void theSameWebhookDeliveredFiveTimesCompletesTheOrderOnce() {
        String orderId = Sagas.place(shop, token, Sagas.body("paper-2g", "card", null));
        String pi = (String) Sagas.payment(Sagas.awaitCustomer(shop, token, orderId)).get("providerPaymentId");

        FakeStripe.SignedEvent succeeded = TestStack.stripe().succeed(pi);
        List<Sagas.Answer> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // Stripe signs every retry anew; the event (and its id) is the same.
            answers.add(Sagas.deliver(shop, i == 0 ? succeeded : TestStack.stripe().resign(succeeded)));
        }
        assertTrue(answers.stream().allMatch(a -> a.status() == 200), String.valueOf(answers));
        assertTrue(answers.get(0).body().contains("\"accepted\""), String.valueOf(answers));
        assertTrue(answers.subList(1, 5).stream().allMatch(a -> a.body().contains("\"duplicate\"")), String.valueOf(answers));

        Map<String, Object> done = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(60));
        assertEquals("ACTIVE", done.get("status"), () -> String.valueOf(done));
        assertEquals(1, Sagas.servers(orderId).size(), "exactly one server");
        assertEquals(1, Sagas.intentsOfOrder(orderId).size(), "one PaymentIntent");
        assertTrue(Sagas.refundsOf(pi).isEmpty(), "no refund");
        PaymentDetails details = paymentDetails(orderId);
        assertEquals(1, details.webhookEventsAccepted(), "the payment saw the event once: " + details);
    }

    @Test
    void aBadSignatureIs401InTheErrorShapeAndChangesNothing() {
        String orderId = Sagas.place(shop, token, Sagas.body("paper-2g", "card", null));
        String pi = (String) Sagas.payment(Sagas.awaitCustomer(shop, token, orderId)).get("providerPaymentId");
        FakeStripe.SignedEvent genuine = TestStack.stripe().succeed(pi);

        assertTrue(genuine.payload().contains("\"amount\":499"), genuine.payload());
        List<String[]> forgeries = List.of(
                new String[]{genuine.payload(), StripeSignatures.signNow("whsec_not_the_secret", genuine.payload())},
                new String[]{genuine.payload().replace("\"amount\":499", "\"amount\":1"), genuine.signatureHeader()},
                new String[]{genuine.payload(), "t=" + (System.currentTimeMillis() / 1000) + ",v1=" + "0".repeat(64)},
                new String[]{genuine.payload(), null});
        for (String[] forged : forgeries) {
            Sagas.Answer answer = Sagas.postWebhook(shop, forged[0], forged[1]);
            assertEquals(401, answer.status(), answer.body());
            assertTrue(answer.body().contains("\"error\"") && answer.body().contains("\"SIGNATURE_INVALID\"")
                    && answer.body().contains("\"message\""), answer.body());
        }

        Sagas.sleep(1_500);
        Map<String, Object> order = shop.order(token, orderId);
        assertEquals("PROCESSING", order.get("status"));
        assertEquals("AWAITING_CUSTOMER", Sagas.payment(order).get("status"));
        PaymentDetails details = paymentDetails(orderId);
        assertEquals(0, details.webhookEventsAccepted(), String.valueOf(details));
        assertEquals(0, details.webhookEventsIgnored(), String.valueOf(details));
        assertTrue(Sagas.servers(orderId).isEmpty());

        // Nothing was recorded under the event id: the genuine delivery is still the first one.
        Sagas.Answer ack = Sagas.deliver(shop, genuine);
        assertEquals(200, ack.status(), ack.body());
        assertTrue(ack.body().contains("\"accepted\""), ack.body());
        assertEquals("ACTIVE", shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(60)).get("status"));
        assertEquals(1, Sagas.servers(orderId).size());
    }

    @Test
    void noWebhookBeforeTheDeadlineEndsFailedWithNothingCharged() {
        long coins = shop.balance(token);
        String orderId = Sagas.place(shop, token, Sagas.body("paper-2g", "card", null));
        String pi = (String) Sagas.payment(Sagas.awaitCustomer(shop, token, orderId)).get("providerPaymentId");

        Map<String, Object> done = shop.awaitOrder(token, orderId, Shop::terminal, CARD_DEADLINE.plusSeconds(40));
        assertEquals("FAILED", done.get("status"), () -> String.valueOf(done));
        assertEquals("PAYMENT_TIMEOUT", done.get("reasonCode"), () -> String.valueOf(done));
        assertEquals("FAILED", Sagas.steps(done).get("charge"), String.valueOf(done.get("timeline")));
        assertEquals("SKIPPED", Sagas.steps(done).get("createServer"), String.valueOf(done.get("timeline")));
        assertEquals("canceled", Sagas.intent(pi).orElseThrow().get("status"), "the PaymentIntent is cancelled");
        assertTrue(Sagas.refundsOf(pi).isEmpty(), "nothing to refund");
        assertTrue(Sagas.servers(orderId).isEmpty(), "no server");
        assertEquals(coins, shop.balance(token));

        // A late success cannot charge it any more; a late webhook is acknowledged and changes nothing.
        assertThrowsIllegalState(() -> TestStack.stripe().succeed(pi));
        Sagas.Answer late = Sagas.deliver(shop, TestStack.stripe().fail(pi));
        assertEquals(200, late.status(), late.body());
        assertEquals("FAILED", shop.order(token, orderId).get("status"));
    }

    @Test
    void aFailedCardPaymentWebhookEndsFailedWithThePaymentIntentClosed() {
        String orderId = Sagas.place(shop, token, Sagas.body("paper-2g", "card", null));
        String pi = (String) Sagas.payment(Sagas.awaitCustomer(shop, token, orderId)).get("providerPaymentId");

        Sagas.Answer ack = Sagas.deliver(shop, TestStack.stripe().fail(pi));
        assertEquals(200, ack.status(), ack.body());

        Map<String, Object> done = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(60));
        assertEquals("FAILED", done.get("status"), () -> String.valueOf(done));
        assertEquals("PAYMENT_DECLINED", done.get("reasonCode"), () -> String.valueOf(done));
        assertEquals("canceled", Sagas.intent(pi).orElseThrow().get("status"));
        assertTrue(Sagas.refundsOf(pi).isEmpty());
        assertTrue(Sagas.servers(orderId).isEmpty());
    }

    private static PaymentDetails paymentDetails(String orderId) {
        return shop.app().bean(WorkflowClient.class).newWorkflowStub(PaymentWorkflow.class,
                PaymentIds.workflowId(PaymentIds.forOrder(orderId, 1))).details();
    }

    private static void assertThrowsIllegalState(Runnable action) {
        try {
            action.run();
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError("expected the fake to refuse");
    }
}
