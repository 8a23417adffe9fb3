package com.admintk.orchestrator.order;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.pterodactyl.PanelRateLimiter;
import com.admintk.orchestrator.server.ServerFixtures;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two regions on the embedded stack: the shared simulator is the default region (panel A), a second simulator the
 * region {@code west} (panel B), each with its own nodes, keys and rate-limit bucket. Panel A's bucket is set very low
 * and emptied before the orders: region B's orders are made on panel B only and complete while region A's bucket
 * stays empty (and a region-A order waits on it); suspending a region-B server calls panel B.
 */
class RegionsEndToEndTest {

    private static PanelSimulator panelB;
    private static Shop shop;

    @BeforeAll
    static void start() {
        panelB = TestStack.secondRegionPanel();
        Map<String, Object> regions = new HashMap<>(TestStack.secondRegion(UUID.randomUUID().toString()));
        // panel A: its budget so small that one permit is all there is, refilled once a minute
        regions.put("panel.rate-limit-per-minute", 2);
        regions.put("panel.rate-limit-burst", 1);
        // panel B: a budget of its own, roomy enough that the plans listing (one read per plan) never waits on it
        regions.put("panels.west.rate-limit-per-minute", 6000);
        regions.put("panels.west.rate-limit-burst", 100);
        shop = Shop.open(regions);
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    private static Map<String, Object> checkout(String planId, String region) {
        Map<String, Object> body = new HashMap<>(Shop.tkcoins(planId));
        if (region != null) {
            body.put("region", region);
        }
        return body;
    }

    @Test
    void regionBOrdersAreMadeOnPanelBOnlyWhilePanelAsBucketIsEmptyAndSuspendingOneCallsPanelB() {
        String demo = shop.login(Shop.DEMO);
        Instant started = Instant.now();

        // Panel A's budget is spent: nothing may be sent to panel A for about a minute.
        PanelRateLimiter bucketA = shop.app().bean(PanelRateLimiter.class);
        while (bucketA.tryAcquire().granted()) {
            // drain it
        }

        // Named: left to the orchestrator, it would take region B, the only one whose room can be read now.
        HttpResponse<Map<String, Object>> orderA = shop.checkout(demo, "region-a-" + UUID.randomUUID(),
                checkout("paper-2g", "default"));
        assertEquals(202, orderA.code(), () -> String.valueOf(orderA.getBody().orElse(null)));
        String orderAId = (String) orderA.getBody().orElseThrow().get("orderId");

        List<String> ordersB = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<Map<String, Object>> accepted = shop.checkout(demo, "region-b-" + UUID.randomUUID(),
                    checkout("paper-2g", "west"));
            assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
            ordersB.add((String) accepted.getBody().orElseThrow().get("orderId"));
        }
        List<String> serversB = new ArrayList<>();
        for (String orderId : ordersB) {
            Map<String, Object> done = shop.awaitOrder(demo, orderId, Shop::terminal, Duration.ofSeconds(90));
            assertEquals("ACTIVE", done.get("status"), done::toString);
            serversB.add((String) done.get("serverId"));
        }

        // Region B finished while region A's bucket was still empty and its order still waited on it.
        assertFalse(bucketA.tryAcquire().granted(), "panel A's bucket stayed empty: region B took nothing from it");
        assertEquals("PROCESSING", shop.order(demo, orderAId).get("status"), "the region-A order waits for A's budget");

        Set<String> externalIdsB = ordersB.stream().map(OrderIds::externalId).collect(Collectors.toSet());
        Set<String> onB = panelB.state().servers().stream().map(SimState.ServerView::externalId)
                .collect(Collectors.toSet());
        Set<String> onA = TestStack.panel().state().servers().stream().map(SimState.ServerView::externalId)
                .collect(Collectors.toSet());
        assertTrue(onB.containsAll(externalIdsB), () -> "on panel B: " + onB);
        assertTrue(externalIdsB.stream().noneMatch(onA::contains), () -> "on panel A: " + onA);
        assertFalse(onB.contains(OrderIds.externalId(orderAId)), "the region-A order never reaches panel B");

        // An operator suspends a region-B server: the call goes to panel B, never to panel A.
        String admin = shop.login(Shop.ADMIN);
        String serverB = serversB.get(0);
        int panelIdB = panelB.state().serverByExternalId(OrderIds.externalId(ordersB.get(0))).orElseThrow().id();
        HttpResponse<Map<String, Object>> suspend = shop.app().exchange(ServerFixtures.action(HttpRequest.POST(
                "/api/v1/admin/servers/" + serverB + "/suspend", Map.of("reason", "abuse report")), admin,
                "suspend-" + serverB));
        assertEquals(202, suspend.code(), () -> String.valueOf(suspend.getBody().orElse(null)));
        ServerFixtures.awaitServer(shop, demo, serverB, Duration.ofSeconds(60),
                view -> "SUSPENDED".equals(view.get("status")));

        String suspendPath = "/api/application/servers/" + panelIdB + "/suspend";
        assertEquals(1, panelB.state().requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(suspendPath)).count(), "panel B suspended it");
        assertTrue(panelB.state().server(panelIdB).orElseThrow().suspended());
        assertEquals(0, TestStack.panel().state().requests().stream()
                .filter(r -> !r.at().isBefore(started))
                .filter(r -> r.path().equals(suspendPath)).count(), "panel A was not asked");
    }

    @Test
    void anUnknownRegionOrARegionThePlanIsNotSoldInIsRefusedAndNothingIsStored() {
        String demo = shop.login(Shop.DEMO);
        long before = orderCount(demo);

        HttpResponse<Map<String, Object>> unknown = shop.checkout(demo, "bad-region-" + UUID.randomUUID(),
                checkout("paper-2g", "north"));
        assertEquals(422, unknown.code(), () -> String.valueOf(unknown.getBody().orElse(null)));
        assertEquals("REGION_UNKNOWN", TestApp.error(unknown).get("code"));

        HttpResponse<Map<String, Object>> malformed = shop.checkout(demo, "bad-region-" + UUID.randomUUID(),
                checkout("paper-2g", "West Coast"));
        assertEquals(400, malformed.code(), () -> String.valueOf(malformed.getBody().orElse(null)));

        assertEquals(before, orderCount(demo), "nothing stored");
    }

    @Test
    void thePlansListShowsAvailabilityPerRegion() {
        String demo = shop.login(Shop.DEMO);
        // Panel A's bucket may be empty (the other test), and B's burst briefly spent by that test's orders: the
        // listing does not wait for a permit, it leaves the region out. Region B's figures come with its next permit.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Object> paper;
        Map<String, Object> availability;
        do {
            List<Map<String, Object>> plans = shop.app().http().retrieve(
                    HttpRequest.GET("/api/v1/plans").bearerAuth(demo),
                    Argument.listOf(Argument.mapOf(String.class, Object.class)));
            paper = plans.stream().filter(p -> "paper-8g".equals(p.get("id"))).findFirst().orElseThrow();
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) paper.get("availability");
            availability = shown;
        } while (availability == null && System.nanoTime() < deadline && pause());
        assertEquals(List.of("default", "west"), paper.get("regions"));
        assertTrue(availability != null, "region B's availability: " + paper);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> perRegion = (List<Map<String, Object>>) availability.get("regions");
        Map<String, Object> west = perRegion.stream().filter(r -> "west".equals(r.get("region"))).findFirst()
                .orElseThrow(() -> new AssertionError(perRegion.toString()));
        assertEquals(true, west.get("available"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> locations = (List<Map<String, Object>>) west.get("locations");
        assertEquals(Set.of(1, 2), locations.stream().map(l -> ((Number) l.get("locationId")).intValue())
                .collect(Collectors.toSet()));
        assertTrue(locations.stream().allMatch(l -> "west".equals(l.get("region"))));
    }

    private static boolean pause() {
        try {
            Thread.sleep(500);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long orderCount(String token) {
        HttpResponse<Map<String, Object>> page = shop.app().exchange(HttpRequest.GET("/api/v1/orders").bearerAuth(token));
        return ((Number) page.getBody().orElseThrow().get("total")).longValue();
    }
}
