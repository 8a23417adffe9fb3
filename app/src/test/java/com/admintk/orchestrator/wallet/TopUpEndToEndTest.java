package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Buying TK-Coins by card over HTTP: the embedded stack, the fake Stripe and webhooks signed as Stripe signs them. */
class TopUpEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Shop shop;
    private static String token;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of("orchestrator.wallet.top-up.min-coins", 100,
                "orchestrator.wallet.top-up.max-coins", 5000,
                "orchestrator.wallet.top-up.coin-price-minor", 2));
        token = shop.login(Shop.DEMO);
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    void aPaidTopUpOf500CoinsCreditsTheWalletExactlyOnceAlsoWhenTheWebhookComesTwice() {
        long before = shop.balance(token);
        String key = "topup-" + UUID.randomUUID();

        HttpResponse<Map<String, Object>> accepted = post(token, key, Map.of("coins", 500));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        Map<String, Object> topUp = accepted.getBody().orElseThrow();
        String topUpId = (String) topUp.get("topUpId");
        assertTrue(topUpId.matches("top_[0-9a-f]{24}"), topUpId);
        assertEquals("PENDING", topUp.get("status"));
        assertEquals(500, number(topUp, "coins"));
        assertEquals(1000, number(topUp, "amountMinor"), "500 coins at 2 cents");
        assertEquals("eur", topUp.get("currency"));

        HttpResponse<Map<String, Object>> replay = post(token, key, Map.of("coins", 500));
        assertEquals(202, replay.code());
        assertEquals(topUp, replay.getBody().orElseThrow(), "the same key answers the same top-up");
        assertEquals(1, count(token, t -> topUpId.equals(t.get("topUpId"))), "one top-up stored");

        Map<String, Object> payment = awaitCustomer(topUpId);
        String pi = (String) payment.get("providerPaymentId");
        assertTrue(String.valueOf(payment.get("clientSecret")).startsWith(pi + "_secret_"), String.valueOf(payment));
        Map<String, Object> intent = TestStack.stripe().paymentIntent(pi).orElseThrow();
        assertEquals(1000, number(intent, "amount"));
        assertEquals("eur", intent.get("currency"));
        assertEquals(before, shop.balance(token), "no coins before the payment");

        FakeStripe.SignedEvent succeeded = TestStack.stripe().succeed(pi);
        assertTrue(deliver(succeeded).contains("\"accepted\""));
        assertTrue(deliver(TestStack.stripe().resign(succeeded)).contains("\"duplicate\""));

        Map<String, Object> credited = awaitTopUp(token, topUpId, t -> "CREDITED".equals(t.get("status")));
        assertEquals(before + 500, shop.balance(token));
        assertEquals(pi, ((Map<?, ?>) credited.get("payment")).get("providerPaymentId"));
        assertNull(((Map<?, ?>) credited.get("payment")).get("clientSecret"), "nothing left to pay");
        List<Map<String, Object>> credits = shop.ledger(token).stream()
                .filter(entry -> TopUpIds.creditKey(topUpId).equals(entry.get("key"))).toList();
        assertEquals(1, credits.size(), String.valueOf(shop.ledger(token)));
        assertEquals(500, number(credits.get(0), "coins"));

        // Stripe retries for days: a late delivery of the same event changes nothing.
        deliver(TestStack.stripe().resign(succeeded));
        sleep(1_000);
        assertEquals(before + 500, shop.balance(token));
        assertEquals(1, TestStack.stripe().paymentIntents().stream()
                .filter(p -> p.get("metadata") instanceof Map<?, ?> m
                        && TopUpIds.paymentId(topUpId).equals(m.get("payment_id"))).count(), "one PaymentIntent");
    }

    @Test
    void aDeclinedCardFailsTheTopUpAndCreditsNothing() {
        long before = shop.balance(token);
        String topUpId = (String) post(token, "topup-" + UUID.randomUUID(), Map.of("coins", 300)).getBody()
                .orElseThrow().get("topUpId");
        String pi = (String) awaitCustomer(topUpId).get("providerPaymentId");

        deliver(TestStack.stripe().fail(pi));

        Map<String, Object> failed = awaitTopUp(token, topUpId, t -> "FAILED".equals(t.get("status")));
        assertEquals("PAYMENT_DECLINED", failed.get("reasonCode"));
        assertNull(failed.get("reason"), "the raw cause is for admins");
        assertEquals(before, shop.balance(token));
        assertEquals("canceled", TestStack.stripe().paymentIntent(pi).orElseThrow().get("status"));
    }

    @Test
    void badInputIs400InTheErrorShapeAndStoresNothing() {
        long topUps = count(token, t -> true);
        String key = "topup-bad-" + UUID.randomUUID();
        Map<String, Map<String, Object>> bodies = new HashMap<>();
        bodies.put("zero", Map.of("coins", 0));
        bodies.put("negative", Map.of("coins", -500));
        bodies.put("too many", Map.of("coins", 5001));
        bodies.put("too few", Map.of("coins", 99));
        bodies.put("missing", Map.of());
        for (Map.Entry<String, Map<String, Object>> bad : bodies.entrySet()) {
            HttpResponse<Map<String, Object>> refused = post(token, key, bad.getValue());
            assertEquals(400, refused.code(), bad.getKey());
            Map<String, Object> error = TestApp.error(refused);
            assertEquals("TOP_UP_COINS_OUT_OF_RANGE", error.get("code"), bad.getKey());
            @SuppressWarnings("unchecked")
            Map<String, Object> details = new java.util.HashMap<>((Map<String, Object>) error.get("details"));
            assertNotNull(details.remove("traceId"), "every error names its trace");
            assertEquals(Map.of("field", "coins", "min", 100, "max", 5000), details, bad.getKey());
        }
        HttpResponse<Map<String, Object>> noKey = shop.app().exchange(HttpRequest.POST("/api/v1/wallet/top-ups",
                Map.of("coins", 500)).bearerAuth(token));
        assertEquals(400, noKey.code());
        assertEquals("IDEMPOTENCY_KEY_REQUIRED", TestApp.error(noKey).get("code"));
        HttpResponse<Map<String, Object>> notJson = shop.app().exchange(HttpRequest.POST("/api/v1/wallet/top-ups",
                Map.of("coins", "lots")).bearerAuth(token).header("Idempotency-Key", key));
        assertEquals(400, notJson.code());
        assertTrue(notJson.getBody().orElseThrow().get("error") instanceof Map, String.valueOf(notJson.getBody()));

        assertEquals(topUps, count(token, t -> true), "no top-up stored");
        // Nothing was stored under the key either: it still takes a good request.
        HttpResponse<Map<String, Object>> good = post(token, key, Map.of("coins", 100));
        assertEquals(202, good.code(), () -> String.valueOf(good.getBody()));
    }

    @Test
    void anotherCustomerCannotSeeATopUpAndAnAdminCanButCannotBuyCoins() {
        String topUpId = (String) post(token, "topup-" + UUID.randomUUID(), Map.of("coins", 200)).getBody()
                .orElseThrow().get("topUpId");
        String email = "topup-other-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        shop.app().bean(UserService.class).create(email, Shop.PASSWORD, Set.of(Roles.CLIENT)).orElseThrow();
        String other = shop.login(email);

        HttpResponse<Map<String, Object>> hidden = get(other, "/api/v1/wallet/top-ups/" + topUpId);
        assertEquals(404, hidden.code());
        assertEquals("NOT_FOUND", TestApp.error(hidden).get("code"));
        assertEquals(0, count(other, t -> true), "the other customer lists none");
        HttpResponse<Map<String, Object>> foreignFilter = get(other,
                "/api/v1/wallet/top-ups?customerId=" + customerId(token));
        assertEquals(0, number(foreignFilter.getBody().orElseThrow(), "total"), "a client's filter is ignored");

        String admin = shop.login(Shop.ADMIN);
        HttpResponse<Map<String, Object>> asAdmin = get(admin, "/api/v1/wallet/top-ups/" + topUpId);
        assertEquals(200, asAdmin.code());
        assertTrue(((Map<?, ?>) asAdmin.getBody().orElseThrow().get("links")).containsKey("run"));
        assertNotEquals(0, number(get(admin, "/api/v1/wallet/top-ups?customerId=" + customerId(token))
                .getBody().orElseThrow(), "total"));
        HttpResponse<Map<String, Object>> adminBuys = post(admin, "topup-" + UUID.randomUUID(), Map.of("coins", 200));
        assertEquals(403, adminBuys.code(), "top-ups are for customers' own wallets");
        assertEquals("TOP_UP_CUSTOMERS_ONLY", TestApp.error(adminBuys).get("code"));
    }

    private static HttpResponse<Map<String, Object>> post(String bearer, String key, Map<String, Object> body) {
        MutableHttpRequest<?> request = HttpRequest.POST("/api/v1/wallet/top-ups", body).bearerAuth(bearer);
        return shop.app().exchange(request.header("Idempotency-Key", key));
    }

    private static HttpResponse<Map<String, Object>> get(String bearer, String path) {
        return shop.app().exchange(HttpRequest.GET(path).bearerAuth(bearer));
    }

    private static String customerId(String bearer) {
        return (String) get(bearer, "/api/v1/auth/me").getBody().orElseThrow().get("id");
    }

    @SuppressWarnings("unchecked")
    private static long count(String bearer, Predicate<Map<String, Object>> which) {
        HttpResponse<Map<String, Object>> page = get(bearer, "/api/v1/wallet/top-ups?size=100");
        assertEquals(200, page.code(), () -> String.valueOf(page.getBody()));
        return ((List<Map<String, Object>>) page.getBody().orElseThrow().get("items")).stream().filter(which).count();
    }

    private static Map<String, Object> awaitTopUp(String bearer, String topUpId, Predicate<Map<String, Object>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Object> last;
        do {
            HttpResponse<Map<String, Object>> response = get(bearer, "/api/v1/wallet/top-ups/" + topUpId);
            assertEquals(200, response.code(), () -> String.valueOf(response.getBody()));
            last = response.getBody().orElseThrow();
            if (done.test(last)) {
                return last;
            }
            sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("top-up " + topUpId + " not as expected in time: " + last);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> awaitCustomer(String topUpId) {
        Map<String, Object> view = awaitTopUp(token, topUpId, t -> t.get("payment") instanceof Map<?, ?> p
                && "AWAITING_CUSTOMER".equals(p.get("status")));
        return (Map<String, Object>) view.get("payment");
    }

    /** POSTs the signed event as Stripe does; answers the body after asserting 200. */
    private static String deliver(FakeStripe.SignedEvent event) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                        URI.create(shop.app().url() + "/api/v1/payments/webhooks/stripe"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", event.signatureHeader())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(event.payload()))
                .build();
        try {
            java.net.http.HttpResponse<String> response = HTTP.send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long number(Map<?, ?> map, String field) {
        return ((Number) map.get(field)).longValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
