package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.identity.ApiKeyAuthenticationFetcher;
import com.admintk.orchestrator.identity.DemoAccounts;
import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.testing.TestApp;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store and the dashboard both read the catalogue: the seeded plans, cheapest first, with their limits. */
class PlanControllerTest {

    private static TestApp app;

    @BeforeAll
    static void start() {
        app = IdentityFixtures.start(Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aLoggedInCustomerSeesTheSeededPlansWithTheirLimits() {
        String token = IdentityFixtures.login(app, DemoAccounts.DEMO_EMAIL).accessToken();
        assertSeededPlans(plans(HttpRequest.GET("/api/v1/plans").bearerAuth(token)));
    }

    @Test
    void theStoresServiceAccountKeyReadsThePlansItSells() {
        assertSeededPlans(plans(HttpRequest.GET("/api/v1/plans")
                .header(ApiKeyAuthenticationFetcher.HEADER, IdentityFixtures.STORE_KEY)));
    }

    @Test
    void theStoresKeyStillCannotReadAnythingElse() {
        HttpResponse<Map<String, Object>> wallet = app.exchange(HttpRequest.GET("/api/v1/wallet")
                .header(ApiKeyAuthenticationFetcher.HEADER, IdentityFixtures.STORE_KEY));
        assertEquals(403, wallet.code());
        HttpResponse<Map<String, Object>> anonymous = app.exchange(HttpRequest.GET("/api/v1/plans"));
        assertEquals(401, anonymous.code());
    }

    private static List<Map<String, Object>> plans(HttpRequest<?> request) {
        try {
            HttpResponse<List<Map<String, Object>>> response = app.http().exchange(request,
                    Argument.listOf(Argument.mapOf(String.class, Object.class)));
            assertEquals(200, response.code());
            assertEquals(MediaType.APPLICATION_JSON_TYPE, response.getContentType().orElseThrow());
            return response.body();
        } catch (HttpClientResponseException e) {
            throw new AssertionError("GET /api/v1/plans: " + e.getStatus() + " " + e.getResponse().getBody(String.class).orElse(""), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertSeededPlans(List<Map<String, Object>> plans) {
        assertEquals(DemoPlans.PLANS.stream().map(Plan::id).sorted().toList(),
                plans.stream().map(p -> (String) p.get("id")).sorted().toList(), String.valueOf(plans));
        List<Number> prices = plans.stream().map(p -> (Number) p.get("priceCoins")).toList();
        for (int i = 1; i < prices.size(); i++) {
            assertTrue(prices.get(i - 1).longValue() <= prices.get(i).longValue(), "cheapest first: " + prices);
        }
        Map<String, Object> paper = plans.stream().filter(p -> "paper-2g".equals(p.get("id"))).findFirst().orElseThrow();
        assertEquals(Map.of("memory", 2048, "swap", 0, "disk", 10_240, "io", 500, "cpu", 200), paper.get("limits"));
        assertEquals(Map.of("databases", 1, "allocations", 1, "backups", 2), paper.get("featureLimits"));
        assertEquals("MONTHLY", paper.get("billingCycle"));
        assertEquals(500, ((Number) paper.get("priceCoins")).intValue());
        assertEquals(List.of(1, 2), paper.get("locationIds"));
        assertTrue(((Map<String, Object>) paper.get("environment")).containsKey("SERVER_JARFILE"));
    }
}
