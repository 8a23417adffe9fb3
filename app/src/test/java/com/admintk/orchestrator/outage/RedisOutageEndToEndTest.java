package com.admintk.orchestrator.outage;

import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README, "When a dependency is down", row Redis: the embedded Redis itself stops (and comes back empty, as a Redis
 * without persistence does), with rate limits on.
 */
class RedisOutageEndToEndTest {

    private static final int LOGINS_PER_ACCOUNT = 3;
    private static Shop shop;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of("orchestrator.security.rate-limit.enabled", true,
                "orchestrator.security.rate-limit.per-ip-per-minute", 10_000,
                "orchestrator.security.rate-limit.per-user-per-minute", 10_000,
                "orchestrator.security.rate-limit.login-per-minute", 10_000,
                "orchestrator.security.rate-limit.login-per-account-per-minute", LOGINS_PER_ACCOUNT));
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    void withRedisDownTheApiServesCheckoutsAre503AndLoginsStayThrottledThenEverythingFinishes() {
        String token = shop.login(Shop.DEMO);
        long balance = shop.balance(token);
        HttpResponse<Map<String, Object>> before = shop.checkout(token, "before-" + UUID.randomUUID(), Shop.tkcoins("paper-2g"));
        assertEquals(202, before.code(), () -> String.valueOf(before.getBody().orElse(null)));
        String acceptedBefore = (String) before.getBody().orElseThrow().get("orderId");
        String key = "during-" + UUID.randomUUID();
        Map<String, Object> body = Shop.tkcoins("paper-2g");

        TestStack.get().stopRedis();
        try {
            // The API rate limits fail open: reads go on.
            HttpResponse<Map<String, Object>> read = shop.app().exchange(
                    HttpRequest.GET("/api/v1/orders/" + acceptedBefore).bearerAuth(token));
            assertEquals(200, read.code(), () -> String.valueOf(read.getBody().orElse(null)));
            HttpResponse<String> plans = shop.app().http().exchange(HttpRequest.GET("/api/v1/plans").bearerAuth(token),
                    String.class);
            assertEquals(200, plans.code(), "the catalogue is served without its availability");
            assertFalse(plans.body().contains("\"availability\""), plans.body());

            // Capacity cannot be reserved: refused before anything is stored or charged.
            HttpResponse<Map<String, Object>> refused = shop.checkout(token, key, body);
            assertEquals(503, refused.code(), () -> String.valueOf(refused.getBody().orElse(null)));
            assertEquals("CAPACITY_UNAVAILABLE", TestApp.error(refused).get("code"));
            assertTrue(refused.getHeaders().contains("Retry-After"));

            // Password guessing is still throttled, per API instance.
            String account = "nobody-" + UUID.randomUUID() + "@example.com";
            List<Integer> answers = new java.util.ArrayList<>();
            for (int i = 0; i <= LOGINS_PER_ACCOUNT; i++) {
                answers.add(shop.app().exchange(HttpRequest.POST("/api/v1/auth/login",
                        Map.of("email", account, "password", "wrong-password-" + i))).code());
            }
            assertEquals(List.of(401, 401, 401, 429), answers);
        } finally {
            TestStack.get().startRedis();
        }

        HttpResponse<Map<String, Object>> accepted = StoreOutageEndToEndTest.awaitNot503(() -> shop.checkout(token, key, body));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String acceptedAfter = (String) accepted.getBody().orElseThrow().get("orderId");

        // The order taken before the outage waited for the panel budget (it fails closed) and finishes.
        for (String orderId : new String[]{acceptedBefore, acceptedAfter}) {
            Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(120));
            assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
            assertEquals(1, TestStack.panel().state().servers().stream()
                    .filter(server -> ("order:" + orderId).equals(server.externalId())).count(), orderId);
        }
        assertEquals(balance - 2 * 500, shop.balance(token), "each order charged once");
    }
}
