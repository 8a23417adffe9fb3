package com.admintk.orchestrator.customer;

import com.admintk.orchestrator.identity.ApiKeyAuthenticationFetcher;
import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.testing.Shop;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class StoreCustomerEndToEndTest {

    private static final String STORE_KEY = "store-demo-key";
    private static Shop shop;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of());
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    private static MutableHttpRequest<?> upsert(String storeCustomerId, Object body) {
        return HttpRequest.PUT("/api/v1/customers/external/" + storeCustomerId, body)
                .header(ApiKeyAuthenticationFetcher.HEADER, STORE_KEY);
    }

    @Test
    void theStoreUpsertsANewCustomerByItsOwnIdAndChecksOutForThemToActive() {
        String storeId = "tienda-" + UUID.randomUUID().toString().substring(0, 8);
        String email = storeId + "@customers.test";

        HttpResponse<Map<String, Object>> created = shop.app().exchange(upsert(storeId, Map.of("email", email, "name", "Ana Store")));
        assertEquals(201, created.code(), () -> String.valueOf(created.getBody().orElse(null)));
        String customerId = (String) created.getBody().orElseThrow().get("customerId");
        assertNotNull(customerId);
        assertEquals(true, created.getBody().orElseThrow().get("created"));

        HttpResponse<Map<String, Object>> again = shop.app().exchange(upsert(storeId, Map.of("email", email, "name", "Ana Store")));
        assertEquals(200, again.code());
        assertEquals(customerId, again.getBody().orElseThrow().get("customerId"), "same id on repeat");

        // the store's customer changed their email: same account, new address
        String newEmail = "new-" + email;
        HttpResponse<Map<String, Object>> moved = shop.app().exchange(upsert(storeId, Map.of("email", newEmail.toUpperCase(), "name", "Ana S.")));
        assertEquals(200, moved.code());
        assertEquals(customerId, moved.getBody().orElseThrow().get("customerId"));
        assertEquals(newEmail, moved.getBody().orElseThrow().get("email"));

        // the customer needs coins: an admin credits them, as for any customer
        String admin = shop.login(Shop.ADMIN);
        assertEquals(200, shop.app().exchange(HttpRequest.POST("/api/v1/admin/wallets/" + customerId + "/credit",
                Map.of("coins", 1000, "reason", "store welcome")).bearerAuth(admin).header("Idempotency-Key", "credit-" + storeId)).code());

        Map<String, Object> checkout = new HashMap<>(Shop.tkcoins("paper-2g"));
        checkout.put("externalCustomerId", storeId);
        HttpResponse<Map<String, Object>> accepted = shop.app().exchange(HttpRequest.POST("/api/v1/orders", checkout)
                .header(ApiKeyAuthenticationFetcher.HEADER, STORE_KEY).header("Idempotency-Key", "store-" + storeId));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");

        Map<String, Object> order = shop.awaitOrder(admin, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        assertEquals(customerId, order.get("customerId"), () -> String.valueOf(order));
    }

    @Test
    void anEmailOwnedByAnotherAccountIs409AndBadInputStoresNothing() {
        long before = IdentityFixtures.counts(shop.app()).get("users");
        // the demo admin owns this email: a store customer can never take it over
        HttpResponse<Map<String, Object>> taken = shop.app().exchange(upsert("store-x-" + UUID.randomUUID().toString().substring(0, 6),
                Map.of("email", Shop.ADMIN, "name", "Mallory")));
        assertEquals(409, taken.code());
        assertEquals("EMAIL_TAKEN", com.admintk.orchestrator.testing.TestApp.error(taken).get("code"));

        for (Object bad : new Object[]{Map.of("email", "not-an-email", "name", "X"), Map.of("name", "No Email"),
                Map.of("email", "a@b.test", "name", "X", "$gt", "")}) {
            HttpResponse<Map<String, Object>> refused = shop.app().exchange(upsert("store-bad", bad));
            assertEquals(400, refused.code(), () -> bad + " -> " + refused.getBody().orElse(null));
            assertNotNull(com.admintk.orchestrator.testing.TestApp.error(refused).get("code"));
        }
        HttpResponse<Map<String, Object>> badId = shop.app().exchange(upsert("bad%20id!", Map.of("email", "a@b.test", "name", "X")));
        assertEquals(400, badId.code(), () -> String.valueOf(badId.getBody().orElse(null)));

        // a customer cannot use the store's route
        String demo = shop.login(Shop.DEMO);
        HttpResponse<Map<String, Object>> client = shop.app().exchange(HttpRequest.PUT("/api/v1/customers/external/c-1",
                Map.of("email", "c1@customers.test", "name", "C")).bearerAuth(demo));
        assertEquals(403, client.code());

        assertEquals(before, IdentityFixtures.counts(shop.app()).get("users"), "no account stored");

        // an unknown store id at checkout is 404, and both ids at once are refused
        Map<String, Object> unknown = new HashMap<>(Shop.tkcoins("paper-2g"));
        unknown.put("externalCustomerId", "never-upserted");
        assertEquals(404, shop.app().exchange(HttpRequest.POST("/api/v1/orders", unknown)
                .header(ApiKeyAuthenticationFetcher.HEADER, STORE_KEY).header("Idempotency-Key", "unknown-ext")).code());
    }
}
