package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.Panel;
import com.admintk.orchestrator.pterodactyl.PanelClient;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.temporal.client.WorkflowClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 4 of the server lifecycle: drift of every kind planted straight into the panel simulator, behind the
 * orchestrator's back, is found and reported over HTTP, and one pass with repair on converges the panel to the store.
 */
class ReconciliationEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Shop shop;
    private static String admin;
    private static final List<Integer> planted = new ArrayList<>();

    @BeforeAll
    static void open() {
        // Passes only when asked for: the hour-long interval never runs out during the test.
        shop = Shop.open(Map.of("orchestrator.reconciliation.enabled", true,
                "orchestrator.reconciliation.interval", "1h",
                "orchestrator.reconciliation.installing-stuck-after", "30m"));
        admin = shop.login(Shop.ADMIN);
    }

    @AfterAll
    static void close() {
        try {
            shop.app().bean(WorkflowClient.class).newUntypedWorkflowStub(ReconciliationWorkflow.WORKFLOW_ID)
                    .terminate("test over");
        } catch (RuntimeException alreadyOver) {
            // nothing left running
        }
        planted.forEach(id -> sim("DELETE", "/_sim/servers/" + id, null));
        shop.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyKindOfPlantedDriftIsReportedAndOnePassConvergesThePanel() {
        String customer = shop.login(Shop.DEMO);
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<Map<String, Object>> accepted = shop.checkout(customer, "recon-" + UUID.randomUUID(),
                    Shop.tkcoins("paper-2g"));
            assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
            orders.add((String) accepted.getBody().orElseThrow().get("orderId"));
        }
        for (String order : orders) {
            Map<String, Object> view = shop.awaitOrder(customer, order, Shop::terminal, Duration.ofSeconds(90));
            assertEquals("ACTIVE", view.get("status"), () -> String.valueOf(view));
        }
        int suspended = panelServer(orders.get(0)).id();
        int shrunk = panelServer(orders.get(1)).id();
        int deleted = panelServer(orders.get(2)).id();
        String ghost = "order:ord_ghost" + UUID.randomUUID().toString().substring(0, 8);
        String stuck = "order:ord_stuck" + UUID.randomUUID().toString().substring(0, 8);

        // The drift, straight into the panel.
        sim("PATCH", "/_sim/servers/" + suspended, "{\"suspended\":true}");
        sim("PATCH", "/_sim/servers/" + shrunk, "{\"limits\":{\"memory\":512,\"cpu\":25},\"feature_limits\":{\"backups\":9}}");
        sim("DELETE", "/_sim/servers/" + deleted, null);
        planted.add(plant("{\"external_id\":\"" + ghost + "\"}"));
        planted.add(plant("{\"external_id\":\"" + stuck + "\",\"status\":\"installing\",\"created_at\":\""
                + Instant.now().minus(Duration.ofHours(2)) + "\"}"));

        Map<String, Object> first = runAndAwaitReport();
        List<Map<String, Object>> items = (List<Map<String, Object>>) first.get("items");
        Map<String, Object> suspension = item(items, "SUSPENSION_MISMATCH", "order:" + orders.get(0));
        assertEquals("srv-" + orders.get(0), suspension.get("serverId"));
        assertEquals(suspended, ((Number) suspension.get("panelServerId")).intValue());
        assertEquals("UNSUSPEND", suspension.get("repair"));
        assertEquals(true, suspension.get("repaired"));
        Map<String, Object> limits = item(items, "LIMIT_MISMATCH", "order:" + orders.get(1));
        assertTrue(((String) limits.get("detail")).contains("memory 512 (plan 2048)"), String.valueOf(limits));
        assertEquals(true, limits.get("repaired"));
        Map<String, Object> missing = item(items, "MISSING_FROM_PANEL", "order:" + orders.get(2));
        assertEquals("srv-" + orders.get(2), missing.get("serverId"));
        assertEquals(false, missing.get("repaired"));
        Map<String, Object> orphan = item(items, "ORPHAN", ghost);
        assertEquals("NONE", orphan.get("repair"), "orphans are kept unless deletion is turned on");
        item(items, "STUCK_INSTALLING", stuck);
        item(items, "ORPHAN", stuck);
        Map<String, Object> counts = (Map<String, Object>) first.get("counts");
        for (String kind : List.of("ORPHAN", "MISSING_FROM_PANEL", "SUSPENSION_MISMATCH", "LIMIT_MISMATCH", "STUCK_INSTALLING")) {
            assertTrue(((Number) counts.get(kind)).intValue() >= 1, kind + " counted: " + counts);
        }

        // The panel now agrees with the store.
        // Read outside the app's panel budget: the test's reads must not wait on (or spend) the fleet's permits.
        PanelClient panel = new PanelClient(shop.app().bean(PanelClient.class).configuration(),
                com.admintk.orchestrator.pterodactyl.PanelRateLimiter.unlimited(),
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        Plan plan = shop.app().bean(PlanCatalog.class).find("paper-2g").orElseThrow();
        assertFalse(panel.getServer(suspended).suspended());
        Panel.Server repaired = panel.getServer(shrunk);
        assertEquals(plan.limits().memory(), repaired.limits().memory());
        assertEquals(plan.limits().cpu(), repaired.limits().cpu());
        assertEquals(plan.featureLimits().backups(), repaired.featureLimits().backups());

        Map<String, Object> second = runAndAwaitReport();
        Map<String, Object> after = (Map<String, Object>) second.get("counts");
        assertEquals(0, ((Number) after.get("SUSPENSION_MISMATCH")).intValue(), String.valueOf(second));
        assertEquals(0, ((Number) after.get("LIMIT_MISMATCH")).intValue(), String.valueOf(second));
        item((List<Map<String, Object>>) second.get("items"), "MISSING_FROM_PANEL", "order:" + orders.get(2));

        HttpResponse<Map<String, Object>> page = shop.app().exchange(
                HttpRequest.GET("/api/v1/admin/reconciliation/reports?size=2").bearerAuth(admin));
        List<Map<String, Object>> newestFirst = (List<Map<String, Object>>) page.getBody().orElseThrow().get("items");
        assertEquals(second.get("id"), newestFirst.get(0).get("id"));
        assertEquals(first.get("id"), newestFirst.get(1).get("id"));
        assertEquals(403, shop.app().exchange(HttpRequest.GET("/api/v1/admin/reconciliation/reports")
                .bearerAuth(customer)).code(), "operators only");

        String metrics = shop.app().http().retrieve(HttpRequest.GET("/prometheus"), String.class);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("reconciliation_drift_total{kind=\"LIMIT_MISMATCH\"")
                && !l.endsWith(" 0.0")), "drift counted per kind");
        assertTrue(metrics.contains("reconciliation_repairs_total{kind=\"SUSPENSION_MISMATCH\",outcome=\"repaired\"}"),
                "repairs counted");
    }

    /** Asks for a pass over HTTP and answers the report of the pass that answered the request. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> runAndAwaitReport() {
        HttpResponse<Map<String, Object>> accepted = shop.app().exchange(
                HttpRequest.POST("/api/v1/admin/reconciliation/runs", Map.of()).bearerAuth(admin));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String requestId = (String) accepted.getBody().orElseThrow().get("requestId");
        assertNotNull(requestId);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<Map<String, Object>> page = shop.app().exchange(
                    HttpRequest.GET("/api/v1/admin/reconciliation/reports?size=5").bearerAuth(admin));
            assertEquals(200, page.code());
            for (Map<String, Object> report : (List<Map<String, Object>>) page.getBody().orElseThrow().get("items")) {
                if (((List<String>) report.get("requests")).contains(requestId)) {
                    return report;
                }
            }
            sleep(300);
        }
        throw new AssertionError("no report answered " + requestId);
    }

    private static Map<String, Object> item(List<Map<String, Object>> items, String kind, String externalId) {
        return items.stream().filter(i -> kind.equals(i.get("kind")) && externalId.equals(i.get("externalId")))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " of " + externalId + " not in "
                        + items.stream().map(i -> i.get("kind") + " " + i.get("externalId")).collect(Collectors.joining(", "))));
    }

    private static SimState.ServerView panelServer(String orderId) {
        return TestStack.panel().state().serverByExternalId("order:" + orderId).orElseThrow();
    }

    private static int plant(String body) {
        String answer = sim("POST", "/_sim/servers", body);
        return Integer.parseInt(answer.replaceAll("\\D+", ""));
    }

    private static String sim(String method, String path, String body) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(URI.create(TestStack.panel().baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            java.net.http.HttpResponse<String> response = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.statusCode() + " " + response.body());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
