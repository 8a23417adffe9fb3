package com.admintk.orchestrator.server;

import com.admintk.orchestrator.identity.IdentityFixtures;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.admintk.orchestrator.server.ServerFixtures.action;
import static com.admintk.orchestrator.server.ServerFixtures.awaitServer;
import static com.admintk.orchestrator.server.ServerFixtures.awaitSubjects;
import static com.admintk.orchestrator.server.ServerFixtures.coins;
import static com.admintk.orchestrator.server.ServerFixtures.entries;
import static com.admintk.orchestrator.server.ServerFixtures.hasTransition;
import static com.admintk.orchestrator.server.ServerFixtures.panelCalls;
import static com.admintk.orchestrator.server.ServerFixtures.panelMemory;
import static com.admintk.orchestrator.server.ServerFixtures.renewsAt;
import static com.admintk.orchestrator.server.ServerFixtures.transitions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10 over HTTP on the embedded stack: termination on a dead simulator node (acceptance 3), plan changes and
 * reinstalls (the lifecycle's Updates, through the worker), and a repeated "pay now" (acceptance 5).
 */
class ServerActionsEndToEndTest {

    private static final Duration FORCE_DELETE_AFTER = Duration.ofSeconds(5);
    private static final int SMALL = 2048;
    private static final int LARGE = 8192;

    private static Shop shop;
    private static String admin;
    private static String demo;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of(
                "orchestrator.lifecycle.force-delete-after", FORCE_DELETE_AFTER.toSeconds() + "s",
                "orchestrator.lifecycle.node-recheck", "1s",
                // an action may wait 30 s for the lifecycle to take it (then 503): the client waits longer than that
                "micronaut.http.client.read-timeout", "45s"));
        admin = shop.login(Shop.ADMIN);
        demo = shop.login(Shop.DEMO);
    }

    @AfterAll
    static void close() {
        try {
            ServerFixtures.endLifecycles(shop);
        } finally {
            shop.close();
        }
    }

    @Test
    void terminateOnADeadNodeForceDeletesTheServerAndTheOrderAndHistorySurvive() {
        Map<String, Object> order = ServerFixtures.deliveredOrder(shop, demo, Shop.tkcoins("paper-2g"));
        String orderId = (String) order.get("id");
        String serverId = (String) order.get("serverId");
        awaitServer(shop, admin, serverId, Duration.ofSeconds(30), ServerFixtures::fromLifecycle);
        SimState.ServerView onPanel = TestStack.panel().state().serverByExternalId("order:" + orderId).orElseThrow();
        String path = "/api/application/servers/" + onPanel.id();

        TestStack.panel().faults().killNode(onPanel.node());
        try {
            HttpResponse<Map<String, Object>> accepted = shop.app().exchange(action(HttpRequest.POST(
                    "/api/v1/admin/servers/" + serverId + "/terminate", Map.of("reason", "node lost in a fire")),
                    admin, "terminate-" + serverId));
            assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));

            Map<String, Object> ended = awaitServer(shop, admin, serverId, Duration.ofSeconds(60),
                    view -> "TERMINATED".equals(view.get("status")) && view.get("terminatedAt") != null);
            assertTrue(TestStack.panel().state().serverByExternalId("order:" + orderId).isEmpty(),
                    "gone from the panel although its node is dead");
            List<SimState.RequestRecord> deletes = TestStack.panel().state().requests().stream()
                    .filter(r -> "DELETE".equals(r.method()) && r.path().startsWith(path)).toList();
            List<SimState.RequestRecord> normal = deletes.stream().filter(r -> r.path().equals(path)).toList();
            List<SimState.RequestRecord> forced = deletes.stream().filter(r -> r.path().equals(path + "/force")).toList();
            assertFalse(normal.isEmpty(), "a normal delete first");
            assertTrue(normal.stream().allMatch(r -> r.status() / 100 != 2), "the dead node refused every normal delete");
            assertEquals(1, forced.size(), () -> "one force delete: " + deletes);
            assertEquals(2, forced.get(0).status() / 100);
            Duration waited = Duration.between(normal.get(0).at(), forced.get(0).at());
            assertTrue(waited.compareTo(FORCE_DELETE_AFTER) >= 0, "forced only after the node stayed dead: " + waited);

            List<Map<String, Object>> note = transitions(ended, "node lost in a fire");
            assertEquals(1, note.size(), () -> String.valueOf(ServerFixtures.history(ended)));
            assertEquals("TERMINATED", note.get(0).get("to"));
            assertTrue(String.valueOf(note.get(0).get("reason")).contains("force-deleted: node unreachable for"),
                    String.valueOf(note.get(0)));
        } finally {
            TestStack.panel().faults().reviveNode(onPanel.node());
        }

        // the customer still reads the record, its history, and the order that sold it
        Map<String, Object> kept = awaitServer(shop, demo, serverId, Duration.ofSeconds(30),
                view -> ServerFixtures.history(view).size() >= 2);
        assertEquals("TERMINATED", kept.get("status"));
        assertEquals(List.of("ACTIVE", "TERMINATED"),
                ServerFixtures.history(kept).stream().map(t -> t.get("to")).toList());
        assertEquals(onPanel.id(), ((Map<?, ?>) kept.get("panel")).get("serverId"), "panel ids kept for audit");
        Map<String, Object> sold = shop.order(demo, orderId);
        assertEquals("ACTIVE", sold.get("status"), () -> String.valueOf(sold));
        assertEquals(serverId, sold.get("serverId"));
    }

    @Test
    void anUpgradeIsChargedProratedAndThePanelGetsTheNewLimits() {
        Map<String, Object> order = ServerFixtures.deliveredOrder(shop, demo, Shop.tkcoins("paper-2g"));
        String serverId = (String) order.get("serverId");
        int panelId = ServerFixtures.panelServerId((String) order.get("id"));
        awaitServer(shop, demo, serverId, Duration.ofSeconds(30), ServerFixtures::fromLifecycle);
        assertEquals(SMALL, panelMemory(panelId));
        long before = shop.balance(demo);

        HttpResponse<Map<String, Object>> accepted = shop.app().exchange(action(HttpRequest.PATCH(
                "/api/v1/servers/" + serverId + "/plan", Map.of("planId", "paper-8g")), demo, "upgrade-" + serverId));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        assertEquals("change-plan", accepted.getBody().orElseThrow().get("action"));

        Map<String, Object> changed = awaitServer(shop, demo, serverId, Duration.ofSeconds(60),
                hasTransition("plan changed from paper-2g to paper-8g"));
        assertEquals(LARGE, panelMemory(panelId), "the panel runs the new limits");
        Map<?, ?> plan = (Map<?, ?>) changed.get("plan");
        assertEquals("paper-8g", plan.get("id"));
        assertEquals(LARGE, ((Map<?, ?>) plan.get("limits")).get("memory"));
        assertEquals(1500, ((Number) plan.get("priceCoins")).intValue(), "the new price is billed from now on");

        List<Map<String, Object>> charged = entries(shop, demo, "debit:" + serverId + "-c-");
        assertEquals(1, charged.size(), () -> String.valueOf(shop.ledger(demo)));
        long prorated = coins(charged);
        // 1000 coins more a month, for what is left of a month that has only just begun
        assertTrue(prorated > 990 && prorated <= 1000, "prorated: " + prorated);
        String reason = (String) transitions(changed, "plan changed").get(0).get("reason");
        assertTrue(reason.endsWith("charged " + prorated + " TK-Coins"), reason);
        assertEquals(before - prorated, shop.balance(demo));
    }

    @Test
    void anUpgradeTheWalletCannotPayPutsTheOldBuildBack() {
        String email = "upgrade-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        IdentityFixtures.Login customer = IdentityFixtures.newClient(shop.app(), email);
        ServerFixtures.credit(shop, admin, customer.userId(), 500);
        Map<String, Object> order = ServerFixtures.deliveredOrder(shop, customer.accessToken(), Shop.tkcoins("paper-2g"));
        String serverId = (String) order.get("serverId");
        int panelId = ServerFixtures.panelServerId((String) order.get("id"));
        awaitServer(shop, admin, serverId, Duration.ofSeconds(30), ServerFixtures::fromLifecycle);
        assertEquals(0, shop.balance(customer.accessToken()));

        HttpResponse<Map<String, Object>> accepted = shop.app().exchange(action(HttpRequest.PATCH(
                        "/api/v1/servers/" + serverId + "/plan", Map.of("planId", "paper-8g")),
                customer.accessToken(), "upgrade-" + serverId));
        assertEquals(202, accepted.code(), "accepted first, paid later: " + accepted.getBody().orElse(null));

        Map<String, Object> failed = awaitServer(shop, admin, serverId, Duration.ofSeconds(60),
                hasTransition("plan change to paper-8g not paid, the old build was restored"));
        assertEquals(SMALL, panelMemory(panelId), "the old limits are back on the panel");
        List<String> builds = TestStack.panel().state().requests().stream()
                .filter(r -> "PATCH".equals(r.method()) && r.path().equals("/api/application/servers/" + panelId + "/build")
                        && r.status() / 100 == 2)
                .map(r -> r.body().contains("\"memory\":" + LARGE) ? "large" : r.body().contains("\"memory\":" + SMALL)
                        ? "small" : r.body()).toList();
        assertEquals(List.of("large", "small"), builds, "patched, then restored");
        assertEquals("paper-2g", ((Map<?, ?>) failed.get("plan")).get("id"));
        assertEquals("ACTIVE", failed.get("status"));
        assertTrue(entries(shop, customer.accessToken(), "debit:" + serverId + "-c-").isEmpty(), "nothing charged");
        assertEquals(0, shop.balance(customer.accessToken()));
        List<String> mail = awaitSubjects(shop, email, subjects -> subjects.stream()
                .anyMatch(s -> s.contains("was not changed")));
        assertTrue(mail.stream().noneMatch(s -> s.contains("has its new plan")), String.valueOf(mail));
    }

    @Test
    void twoReinstallsInARowAreOneReinstallAndASuspendedServerRefusesIt() {
        Map<String, Object> order = ServerFixtures.deliveredOrder(shop, demo, Shop.tkcoins("paper-2g"));
        String serverId = (String) order.get("serverId");
        int panelId = ServerFixtures.panelServerId((String) order.get("id"));
        awaitServer(shop, demo, serverId, Duration.ofSeconds(30), ServerFixtures::fromLifecycle);
        String route = "/api/v1/servers/" + serverId + "/reinstall";

        HttpResponse<Map<String, Object>> first = shop.app().exchange(action(HttpRequest.POST(route, Map.of()), demo,
                "reinstall-a-" + serverId));
        HttpResponse<Map<String, Object>> second = shop.app().exchange(action(HttpRequest.POST(route, Map.of()), demo,
                "reinstall-b-" + serverId));
        assertEquals(202, first.code(), () -> String.valueOf(first.getBody().orElse(null)));
        assertEquals(202, second.code(), () -> String.valueOf(second.getBody().orElse(null)));
        Map<String, Object> a = first.getBody().orElseThrow();
        Map<String, Object> b = second.getBody().orElseThrow();
        assertEquals("reinstall", a.get("action"));
        assertEquals(false, a.get("alreadyRunning"));
        assertEquals(true, b.get("alreadyRunning"), () -> "the second joins the first: " + b);
        assertEquals(a.get("workflowId"), b.get("workflowId"));

        Map<String, Object> done = awaitServer(shop, demo, serverId, Duration.ofSeconds(60), hasTransition("reinstalled"));
        assertEquals(1, transitions(done, "reinstall requested").size(), () -> String.valueOf(ServerFixtures.history(done)));
        assertEquals(1, panelCalls("POST", "/api/application/servers/" + panelId + "/reinstall"), "one reinstall");
        assertNull(TestStack.panel().state().server(panelId).orElseThrow().status(), "installed again");

        // a refusal decided by the lifecycle on the worker keeps its code through the SDK
        HttpResponse<Map<String, Object>> suspend = shop.app().exchange(action(HttpRequest.POST(
                "/api/v1/admin/servers/" + serverId + "/suspend", Map.of("reason", "abuse report")), admin,
                "suspend-" + serverId));
        assertEquals(202, suspend.code());
        awaitServer(shop, demo, serverId, Duration.ofSeconds(30), view -> "SUSPENDED".equals(view.get("status")));
        for (HttpResponse<Map<String, Object>> refused : List.of(
                shop.app().exchange(action(HttpRequest.POST(route, Map.of()), demo, "reinstall-c-" + serverId)),
                shop.app().exchange(action(HttpRequest.PATCH("/api/v1/servers/" + serverId + "/plan",
                        Map.of("planId", "paper-8g")), demo, "upgrade-" + serverId)))) {
            assertEquals(409, refused.code(), () -> String.valueOf(refused.getBody().orElse(null)));
            assertEquals("SERVER_SUSPENDED", TestApp.error(refused).get("code"));
        }
        assertEquals(1, panelCalls("POST", "/api/application/servers/" + panelId + "/reinstall"), "nothing sent");
        // a refusal stores nothing under its key: once unsuspended, the same key is taken
        shop.app().exchange(action(HttpRequest.POST("/api/v1/admin/servers/" + serverId + "/unsuspend",
                Map.of("reason", "report was false")), admin, "unsuspend-" + serverId));
        awaitServer(shop, demo, serverId, Duration.ofSeconds(30), view -> "ACTIVE".equals(view.get("status")));
        HttpResponse<Map<String, Object>> retried = shop.app().exchange(action(HttpRequest.POST(route, Map.of()), demo,
                "reinstall-c-" + serverId));
        assertEquals(202, retried.code(), () -> String.valueOf(retried.getBody().orElse(null)));
    }

    @Test
    void payNowSentTwiceWithOneKeyChargesOnce() {
        Map<String, Object> order = ServerFixtures.deliveredOrder(shop, demo, Shop.tkcoins("paper-2g"));
        String serverId = (String) order.get("serverId");
        Instant renewsAt = renewsAt(awaitServer(shop, demo, serverId, Duration.ofSeconds(30),
                ServerFixtures::fromLifecycle));
        long before = shop.balance(demo);
        String key = "pay-now-" + serverId;

        HttpResponse<String> first = raw(action(HttpRequest.POST("/api/v1/servers/" + serverId + "/renew", Map.of()),
                demo, key));
        HttpResponse<String> again = raw(action(HttpRequest.POST("/api/v1/servers/" + serverId + "/renew", Map.of()),
                demo, key));
        assertEquals(202, first.code(), first::body);
        assertEquals(first.body(), again.body(), "the same key answers the stored response");

        Map<String, Object> renewed = awaitServer(shop, demo, serverId, Duration.ofSeconds(30), hasTransition("paid now"));
        assertEquals(1, transitions(renewed, "paid now").size());
        assertEquals(Instant.ofEpochMilli(BillingCycle.MONTHLY.nextRenewal(renewsAt.toEpochMilli())),
                renewsAt(renewed), "one month more");
        List<Map<String, Object>> charged = entries(shop, demo, "debit:" + serverId + "-n-");
        assertEquals(1, charged.size(), () -> String.valueOf(shop.ledger(demo)));
        assertEquals(500, coins(charged));
        assertEquals(before - 500, shop.balance(demo));
    }

    @SuppressWarnings("unchecked")
    private static HttpResponse<String> raw(io.micronaut.http.MutableHttpRequest<?> request) {
        try {
            return shop.app().http().exchange(request, String.class);
        } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
            return (HttpResponse<String>) e.getResponse();
        }
    }
}
