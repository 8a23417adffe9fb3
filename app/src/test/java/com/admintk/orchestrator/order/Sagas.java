package com.admintk.orchestrator.order;

import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers shared by the saga end-to-end tests: orders, the panel simulator's view of them, and Stripe webhooks. */
final class Sagas {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Sagas() {
    }

    /** A raw HTTP answer: status and body text. */
    record Answer(int status, String body) {
    }

    static Map<String, Object> body(String planId, String method, Map<String, String> eggVariables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("planId", planId);
        body.put("serverName", "E2E " + UUID.randomUUID().toString().substring(0, 8));
        body.put("paymentMethod", method);
        if (eggVariables != null) {
            body.put("eggVariables", eggVariables);
        }
        return body;
    }

    /** Checks out and answers the order id (asserting 202). */
    static String place(Shop shop, String token, Map<String, Object> body) {
        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "e2e-" + UUID.randomUUID(), body);
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        return (String) accepted.getBody().orElseThrow().get("orderId");
    }

    /** The simulator's servers for this order (the simulator is shared: always filter by external id). */
    static List<SimState.ServerView> servers(String orderId) {
        return TestStack.panel().state().servers().stream()
                .filter(server -> ("order:" + orderId).equals(server.externalId())).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> payment(Map<String, Object> order) {
        return (Map<String, Object>) order.get("payment");
    }

    /** Polls the order until {@code done} holds for the whole view. */
    static Map<String, Object> awaitView(Shop shop, String token, String orderId, Predicate<Map<String, Object>> done,
                                         Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> last;
        do {
            last = shop.order(token, orderId);
            if (done.test(last)) {
                return last;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("order " + orderId + " not as expected within " + timeout + ": " + last);
    }

    /** Waits until a card order's payment awaits the customer, and answers that view. */
    static Map<String, Object> awaitCustomer(Shop shop, String token, String orderId) {
        return awaitView(shop, token, orderId, view -> payment(view) != null
                && "AWAITING_CUSTOMER".equals(payment(view).get("status")), Duration.ofSeconds(30));
    }

    /** The step states of the order's timeline, by step name. */
    @SuppressWarnings("unchecked")
    static Map<String, String> steps(Map<String, Object> order) {
        Map<String, String> states = new LinkedHashMap<>();
        ((List<Map<String, Object>>) order.get("timeline")).forEach(step ->
                states.put((String) step.get("name"), (String) step.get("state")));
        return states;
    }

    static Optional<Map<String, Object>> intent(String providerPaymentId) {
        return TestStack.stripe().paymentIntent(providerPaymentId);
    }

    static List<Map<String, Object>> refundsOf(String providerPaymentId) {
        return TestStack.stripe().refunds().stream()
                .filter(refund -> providerPaymentId.equals(refund.get("payment_intent"))).toList();
    }

    static List<Map<String, Object>> intentsOfOrder(String orderId) {
        return TestStack.stripe().paymentIntents().stream()
                .filter(pi -> pi.get("metadata") instanceof Map<?, ?> m && orderId.equals(m.get("order_id"))).toList();
    }

    static URI webhookUrl(Shop shop) {
        return URI.create(shop.app().url() + "/api/v1/payments/webhooks/stripe");
    }

    /** POSTs a raw webhook as Stripe does; answers status and body. */
    static Answer postWebhook(Shop shop, String payload, String signatureHeader) {
        HttpRequest.Builder request = HttpRequest.newBuilder(webhookUrl(shop))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signatureHeader != null) {
            request.header("Stripe-Signature", signatureHeader);
        }
        try {
            java.net.http.HttpResponse<String> response = HTTP.send(request.build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Answer deliver(Shop shop, FakeStripe.SignedEvent event) {
        return postWebhook(shop, event.payload(), event.signatureHeader());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
