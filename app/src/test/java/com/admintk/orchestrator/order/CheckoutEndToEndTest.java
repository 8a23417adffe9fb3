package com.admintk.orchestrator.order;

import com.admintk.orchestrator.identity.AuditRepository;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.store.Database;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckoutEndToEndTest {

    private static Shop shop;

    @BeforeAll
    static void open() {
        // the stats poller on, quickly: the per-server gauges come from its rounds
        shop = Shop.open(Map.of("orchestrator.live.stats.enabled", true, "orchestrator.live.stats.interval", "1s",
                "orchestrator.live.stats.leader-lease", "5s"));
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aTkCoinsCheckoutEndsActiveWithOneInstalledServerOneDebitAnEmailAndAFullTimeline() throws Exception {
        String token = shop.login(Shop.DEMO);
        long before = shop.balance(token);

        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "e2e-" + UUID.randomUUID(), Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        Map<String, Object> body = accepted.getBody().orElseThrow();
        String orderId = (String) body.get("orderId");
        Map<String, Object> links = (Map<String, Object>) body.get("links");
        assertEquals("/api/v1/orders/" + orderId, links.get("self"));
        assertFalse(links.containsKey("run"), "the Temporal run link is for operators only: " + links);

        Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));

        List<SimState.ServerView> servers = TestStack.panel().state().servers().stream()
                .filter(server -> ("order:" + orderId).equals(server.externalId())).toList();
        assertEquals(1, servers.size(), "exactly one server with the order's external_id");
        assertNull(servers.get(0).status(), "installed");

        assertEquals(before - 500, shop.balance(token), "debited once, by the plan's price");
        long debits = shop.ledger(token).stream().filter(entry -> "DEBIT".equals(entry.get("type"))
                && String.valueOf(entry.get("key")).contains(orderId)).count();
        assertEquals(1, debits);

        assertTrue(shop.mail().waitForIncomingEmail(30_000, 1), "an email arrives");
        MimeMessage[] mails = shop.mail().getReceivedMessages();
        assertTrue(List.of(mails).stream().anyMatch(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(Shop.DEMO);
            } catch (Exception e) {
                return false;
            }
        }));

        Document audit = shop.app().bean(Database.class).collection(AuditRepository.COLLECTION)
                .find(Filters.and(Filters.eq("action", "ORDER_CREATED"), Filters.eq("target", "order:" + orderId))).first();
        assertNotNull(audit, "the checkout is in the audit log");
        assertEquals("order:" + orderId, audit.getString("workflowId"));
        assertNotNull(audit.getString("ip"));

        String gauge = "server_cpu_ratio{server_id=\"srv-" + orderId + "\"}";
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String metrics = "";
        while (!metrics.contains(gauge) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            metrics = shop.app().http().retrieve(io.micronaut.http.HttpRequest.GET("/prometheus"), String.class);
        }
        assertTrue(metrics.contains("orders_completed_total{outcome=\"ACTIVE\""), "business counter exported");
        assertTrue(metrics.contains("order_provisioning_duration_seconds_bucket"), "provisioning histogram exported");
        assertTrue(metrics.contains("panel_requests_seconds_count"), "panel calls exported");
        assertTrue(metrics.contains("temporal_"), "Temporal SDK metrics exported");
        assertTrue(metrics.contains("server_cpu_ratio{server_id=\"srv-" + orderId + "\"}"), "per-server CPU gauge");
        assertTrue(metrics.contains("server_memory_ratio{server_id=\"srv-" + orderId + "\"}"), "per-server memory gauge");

        List<Map<String, Object>> timeline = (List<Map<String, Object>>) order.get("timeline");
        List<String> steps = timeline.stream().map(step -> (String) step.get("name")).toList();
        assertEquals(List.of("validate", "resolveEggVariables", "charge", "ensurePanelUser", "createServer",
                "awaitInstalled", "recordServer", "notify", "startLifecycle"), steps);
        assertTrue(timeline.stream().allMatch(step -> "DONE".equals(step.get("state"))), String.valueOf(timeline));
    }
}
