package com.admintk.orchestrator.outage;

import com.admintk.orchestrator.capacity.Capacity;
import com.admintk.orchestrator.temporal.SearchAttributeRegistrar;
import com.admintk.orchestrator.testing.DependencyGate;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README, "When a dependency is down", row Temporal. The Temporal test server is shared by every test class, so it
 * stays up: an api process reaches it through a {@link DependencyGate} that the test shuts, while a dev shop on the
 * same store and Temporal runs the workers.
 */
class OrchestrationOutageEndToEndTest {

    private static Shop shop;
    private static DependencyGate temporal;
    private static TestApp api;

    @BeforeAll
    static void open() {
        String database = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String store = TestStack.get().mongoUri(database);
        // The card order of the cancel test waits for its webhook all through the outage.
        shop = Shop.open(Map.of("mongodb.uri", store, "orchestrator.orders.card-payment-deadline", "5m"));
        temporal = DependencyGate.to("localhost", TestStack.get().temporalPort());
        api = TestApp.start("api", Map.of("mongodb.uri", store, "temporal.target", temporal.address(),
                "orchestrator.security.rate-limit.enabled", false,
                "orchestrator.dependencies.temporal-call", "3s"));
    }

    @AfterAll
    static void close() {
        api.close();
        temporal.close();
        shop.close();
    }

    @Test
    void withTemporalDownACheckoutIs503FastLeavesNothingHeldAndItsKeySucceedsOnceTemporalIsBack() {
        String token = shop.login(Shop.DEMO);
        long balance = shop.balance(token);
        awaitSearchAttributesRegistered();
        long held = api.bean(Capacity.class).reservationsHeld();
        String key = "outage-" + UUID.randomUUID();
        Map<String, Object> body = Shop.tkcoins("paper-2g");

        temporal.shut();
        try {
            long started = System.nanoTime();
            HttpResponse<Map<String, Object>> refused = checkout(token, key, body);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertUnavailable(refused);
            // Bounded by TEMPORAL_CALL_DEADLINE (3 s here); the SDK alone would retry an unreachable frontend for a minute.
            assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "answered after " + took);
            assertEquals(held, api.bean(Capacity.class).reservationsHeld(), "the refused checkout's room is given back");
            // Not a stored 202: the same key is tried again, and refused again while Temporal is away.
            assertUnavailable(checkout(token, key, body));
            // Reads come from the store.
            HttpResponse<Map<String, Object>> orders = api.exchange(HttpRequest.GET("/api/v1/orders").bearerAuth(token));
            assertEquals(200, orders.code(), () -> String.valueOf(orders.getBody().orElse(null)));
        } finally {
            temporal.open();
        }

        HttpResponse<Map<String, Object>> accepted = StoreOutageEndToEndTest.awaitNot503(() -> checkout(token, key, body));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        assertEquals(1, TestStack.panel().state().servers().stream()
                .filter(server -> ("order:" + orderId).equals(server.externalId())).count());
        assertEquals(balance - 500, shop.balance(token), "charged once");
    }

    @Test
    void withTemporalDownCancellingARunningOrderIs503AndTheOrderStaysCancellable() {
        String token = shop.login(Shop.DEMO);
        // A card order waits for its payment webhook: it is still running while Temporal is away.
        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "card-" + UUID.randomUUID(),
                Map.of("planId", "paper-2g", "serverName", "Outage card", "paymentMethod", "card"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        HttpRequest<?> cancel = HttpRequest.POST("/api/v1/orders/" + orderId + "/cancel", Map.of()).bearerAuth(token);

        temporal.shut();
        try {
            assertUnavailable(api.exchange(cancel));
            HttpResponse<Map<String, Object>> list = api.exchange(HttpRequest.GET("/api/v1/orders").bearerAuth(token));
            assertEquals(200, list.code(), "orders are read from the store while Temporal is away");
        } finally {
            temporal.open();
        }

        HttpResponse<Map<String, Object>> cancelled = StoreOutageEndToEndTest.awaitNot503(() -> api.exchange(cancel));
        assertEquals(202, cancelled.code(), () -> String.valueOf(cancelled.getBody().orElse(null)));
        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("CANCELLED", order.get("status"), () -> String.valueOf(order));
    }

    private static HttpResponse<Map<String, Object>> checkout(String token, String key, Map<String, Object> body) {
        return api.exchange(HttpRequest.POST("/api/v1/orders", body).bearerAuth(token).header("Idempotency-Key", key));
    }

    private static void assertUnavailable(HttpResponse<Map<String, Object>> response) {
        assertEquals(503, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        Map<String, Object> error = TestApp.error(response);
        assertEquals("ORCHESTRATION_UNAVAILABLE", error.get("code"), String.valueOf(error));
        assertEquals("temporal", ((Map<?, ?>) error.get("details")).get("dependency"));
    }

    private static void awaitSearchAttributesRegistered() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!api.bean(SearchAttributeRegistrar.class).registered() && System.nanoTime() < deadline) {
            StoreOutageEndToEndTest.sleep(200);
        }
    }
}
