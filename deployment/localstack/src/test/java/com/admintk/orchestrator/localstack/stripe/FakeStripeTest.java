package com.admintk.orchestrator.localstack.stripe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeStripeTest {

    private FakeStripe fake;
    private StripeClient stripe;

    @BeforeEach
    void start() {
        fake = FakeStripe.start();
        stripe = StripeClient.builder().setApiKey("sk_test_fake").setApiBase(fake.apiBase())
                .setMaxNetworkRetries(0).build();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private PaymentIntent create(String key, long amount) throws Exception {
        return stripe.paymentIntents().create(PaymentIntentCreateParams.builder()
                        .setAmount(amount).setCurrency("eur")
                        .putMetadata("order_id", "o-1").putMetadata("payment_id", "o-1-p1")
                        .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                                .setEnabled(true).build())
                        .build(),
                RequestOptions.builder().setIdempotencyKey(key).build());
    }

    @Test
    void stripeJavaCreatesReadsAndCancelsPaymentIntents() throws Exception {
        PaymentIntent pi = create("pi:o-1-p1", 1999);
        assertTrue(pi.getId().startsWith("pi_"));
        assertEquals("requires_payment_method", pi.getStatus());
        assertEquals("o-1", pi.getMetadata().get("order_id"));
        assertTrue(pi.getClientSecret().startsWith(pi.getId() + "_secret_"));
        assertEquals(1999L, stripe.paymentIntents().retrieve(pi.getId()).getAmount());
        assertEquals("canceled", stripe.paymentIntents().cancel(pi.getId()).getStatus());
    }

    @Test
    void sameIdempotencyKeyAndParamsReplaysTheFirstIntent() throws Exception {
        PaymentIntent first = create("pi:o-1-p1", 1999);
        PaymentIntent again = create("pi:o-1-p1", 1999);
        assertEquals(first.getId(), again.getId());
        assertEquals(1, fake.paymentIntents().size());
    }

    @Test
    void sameIdempotencyKeyWithOtherParamsIsRejected() throws Exception {
        create("pi:o-1-p1", 1999);
        IdempotencyException e = assertThrows(IdempotencyException.class, () -> create("pi:o-1-p1", 2999));
        assertEquals(400, e.getStatusCode());
    }

    @Test
    void magicAmountDeclinesAndTheDeclineIsReplayed() {
        CardException e = assertThrows(CardException.class, () -> create("k", FakeStripe.DECLINED_AMOUNT));
        assertEquals(402, e.getStatusCode());
        assertEquals("card_declined", e.getCode());
        assertThrows(CardException.class, () -> create("k", FakeStripe.DECLINED_AMOUNT));
        assertTrue(fake.paymentIntents().isEmpty());
    }

    @Test
    void injectedOutageIsNotStoredSoARetrySucceeds() throws Exception {
        fake.failNext(1, 503);
        assertThrows(com.stripe.exception.ApiException.class, () -> create("k2", 500));
        assertEquals("requires_payment_method", create("k2", 500).getStatus());
    }

    @Test
    void refundOfASucceededIntentIsIdempotentByKey() throws Exception {
        PaymentIntent pi = create("k3", 700);
        fake.succeed(pi.getId());
        RequestOptions key = RequestOptions.builder().setIdempotencyKey("refund:o-1-p1").build();
        RefundCreateParams params = RefundCreateParams.builder().setPaymentIntent(pi.getId()).build();
        Refund first = stripe.refunds().create(params, key);
        Refund again = stripe.refunds().create(params, key);
        assertEquals("succeeded", first.getStatus());
        assertEquals(first.getId(), again.getId());
        assertEquals(1, fake.refunds().size());
    }

    @Test
    void stripeJavaAcceptsTheWebhookSignature() throws Exception {
        PaymentIntent pi = create("k4", 1200);
        FakeStripe.SignedEvent signed = fake.succeed(pi.getId());
        Event event = Webhook.constructEvent(signed.payload(), signed.signatureHeader(), fake.webhookSecret(), 300);
        assertEquals("payment_intent.succeeded", event.getType());
        assertEquals(signed.eventId(), event.getId());
        PaymentIntent inEvent = (PaymentIntent) event.getDataObjectDeserializer().deserializeUnsafe();
        assertEquals(pi.getId(), inEvent.getId());
        assertEquals("succeeded", inEvent.getStatus());
    }

    @Test
    void aTamperedBodyOrAnotherSecretIsRejected() throws Exception {
        PaymentIntent pi = create("k5", 1200);
        FakeStripe.SignedEvent signed = fake.fail(pi.getId());
        String tampered = signed.payload().replace("\"amount\":1200", "\"amount\":1");
        assertNotEquals(signed.payload(), tampered);
        assertThrows(SignatureVerificationException.class,
                () -> Webhook.constructEvent(tampered, signed.signatureHeader(), fake.webhookSecret(), 300));
        assertThrows(SignatureVerificationException.class,
                () -> Webhook.constructEvent(signed.payload(), signed.signatureHeader(), "whsec_other", 300));
        String old = StripeSignatures.sign(fake.webhookSecret(), signed.payload(), System.currentTimeMillis() / 1000 - 3600);
        assertThrows(SignatureVerificationException.class,
                () -> Webhook.constructEvent(signed.payload(), old, fake.webhookSecret(), 300));
    }

    @Test
    void deliverPostsTheSignedEventToTheUrl() throws Exception {
        List<String[]> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/webhooks/stripe", exchange -> {
            received.add(new String[] {new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Stripe-Signature")});
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            PaymentIntent pi = create("k6", 1200);
            FakeStripe.SignedEvent signed = fake.succeed(pi.getId());
            int status = fake.deliver(fake.resign(signed),
                    URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/stripe"));
            assertEquals(200, status);
            assertEquals(1, received.size());
            Event event = Webhook.constructEvent(received.get(0)[0], received.get(0)[1], fake.webhookSecret(), 300);
            assertEquals(signed.eventId(), event.getId());
        } finally {
            receiver.stop(0);
        }
    }
}
