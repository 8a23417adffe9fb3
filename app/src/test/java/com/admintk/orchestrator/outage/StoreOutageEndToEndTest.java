package com.admintk.orchestrator.outage;

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
 * README, "When a dependency is down", row MongoDB. The shop reaches MongoDB through a {@link DependencyGate}, so the
 * outage cuts the network path while the store keeps its data, as a restarted replica set does.
 */
class StoreOutageEndToEndTest {

    private static DependencyGate mongo;
    private static Shop shop;

    @BeforeAll
    static void open() {
        mongo = DependencyGate.to("localhost", TestStack.get().mongoPort());
        String database = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        shop = Shop.open(Map.of("mongodb.uri", "mongodb://" + mongo.address() + "/" + database,
                "orchestrator.dependencies.mongo-server-selection", "2s"));
    }

    @AfterAll
    static void close() {
        shop.close();
        mongo.close();
    }

    @Test
    void withTheStoreDownReadsAndCheckoutsAre503AndNoAcceptedOrderIsLost() {
        String token = shop.login(Shop.DEMO);
        long balance = shop.balance(token);
        HttpResponse<Map<String, Object>> before = shop.checkout(token, "before-" + UUID.randomUUID(), Shop.tkcoins("paper-2g"));
        assertEquals(202, before.code(), () -> String.valueOf(before.getBody().orElse(null)));
        String acceptedBefore = (String) before.getBody().orElseThrow().get("orderId");

        String refusedKey = "during-" + UUID.randomUUID();
        Map<String, Object> refusedBody = Shop.tkcoins("paper-2g");
        mongo.shut();
        try {
            // The client's read timeout (10 s) bounds each call: an answer at all means the request did not hang.
            assertUnavailable(shop.app().exchange(HttpRequest.GET("/api/v1/orders/" + acceptedBefore).bearerAuth(token)));
            assertUnavailable(shop.app().exchange(HttpRequest.GET("/api/v1/wallet").bearerAuth(token)));
            assertUnavailable(shop.checkout(token, refusedKey, refusedBody));
            // A refused checkout stays refused until the store is back: it was not half-taken.
            assertUnavailable(shop.checkout(token, refusedKey, refusedBody));
        } finally {
            mongo.open();
        }

        HttpResponse<Map<String, Object>> retried = awaitNot503(() -> shop.checkout(token, refusedKey, refusedBody));
        assertEquals(202, retried.code(), () -> String.valueOf(retried.getBody().orElse(null)));
        String acceptedAfter = (String) retried.getBody().orElseThrow().get("orderId");
        HttpResponse<Map<String, Object>> replay = shop.checkout(token, refusedKey, refusedBody);
        assertEquals(202, replay.code());
        assertEquals(acceptedAfter, replay.getBody().orElseThrow().get("orderId"), "the key now names that order");

        for (String orderId : new String[]{acceptedBefore, acceptedAfter}) {
            Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(120));
            assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
            assertEquals(1, TestStack.panel().state().servers().stream()
                    .filter(server -> ("order:" + orderId).equals(server.externalId())).count(), orderId);
        }
        assertEquals(balance - 2 * 500, shop.balance(token), "each order charged once");
    }

    static void assertUnavailable(HttpResponse<Map<String, Object>> response) {
        assertEquals(503, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        Map<String, Object> error = TestApp.error(response);
        assertEquals("STORE_UNAVAILABLE", error.get("code"), String.valueOf(error));
        assertEquals("mongodb", ((Map<?, ?>) error.get("details")).get("dependency"), String.valueOf(error));
        assertTrue(response.getHeaders().contains("Retry-After"), "a client knows when to come back");
    }

    static HttpResponse<Map<String, Object>> awaitNot503(java.util.function.Supplier<HttpResponse<Map<String, Object>>> call) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<Map<String, Object>> last;
        do {
            last = call.get();
            if (last.code() != 503) {
                return last;
            }
            sleep(1_000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("still 503 a minute after the dependency came back: " + last.getBody().orElse(null));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
