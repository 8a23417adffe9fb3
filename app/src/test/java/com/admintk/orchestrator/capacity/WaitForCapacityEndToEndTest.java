package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.OrderStore;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.WalletEntry;
import com.admintk.orchestrator.payment.Wallets;
import com.admintk.orchestrator.plan.DemoPlans;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestApp;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 3 of issue 12 against the embedded stack and a panel of this test's own. The plan is sold in Frankfurt
 * only; after its availability was read (and cached), node 1 is filled outside the orchestrator, as a panel admin or
 * another tool would. Checkouts still see room, are charged, and the panel refuses their servers. An order that
 * agreed to wait goes to WAITING_FOR_CAPACITY (listed for operators, counted in the metric, nothing held); once the
 * panel gets a new node and an admin says "capacity added", it ends ACTIVE there. One whose wait is over is refunded,
 * and the refund is in the ledger.
 */
class WaitForCapacityEndToEndTest {

    private static final String PLAN = "wait-room";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static PanelSimulator panel;
    private static Shop shop;

    @BeforeAll
    static void open() {
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofMillis(500))
                .rateLimitPerMinute(100_000).clientRateLimitPerMinute(100_000).build()).start();
        Map<String, Object> properties = new HashMap<>();
        properties.put("panel.url", panel.baseUrl());
        properties.put("panel.rate-limit-key", "admintk:panel:rate:" + UUID.randomUUID());
        // The checkout's figures stay as first read: capacity taken meanwhile is not seen until the panel refuses.
        properties.put("orchestrator.capacity.cache-ttl", "10m");
        properties.put("orchestrator.orders.max-capacity-wait", "1h");
        properties.put("orchestrator.orders.install-poll-initial", "1s");
        properties.put("orchestrator.orders.install-poll-max", "1s");
        properties.put("orchestrator.orders.install-deadline", "2m");
        shop = Shop.open(properties);
        Plan paper = DemoPlans.PLANS.get(0);
        shop.app().bean(PlanCatalog.class).save(new Plan(PLAN, "Wait room", "Frankfurt only", paper.nestId(),
                paper.eggId(), paper.dockerImage(), paper.startup(), paper.environment(),
                new ServerSpec.Limits(2048, 0, 10_240, 500, 200), paper.featureLimits(), List.of(1),
                paper.portRanges(), 500, 499, "eur", BillingCycle.MONTHLY, true, paper.secretVariables(),
                paper.egg(), null));
    }

    @AfterAll
    static void close() {
        if (shop != null) {
            shop.close();
        }
        panel.close();
    }

    @Test
    void aWaitingOrderCompletesWhenCapacityIsAddedAndOnePastItsDeadlineIsRefunded() throws Exception {
        String token = shop.login(Shop.DEMO);
        String admin = shop.login(Shop.ADMIN);
        String customerId = shop.app().bean(UserService.class).findByEmail(Shop.DEMO).orElseThrow().id();
        Capacity capacity = shop.app().bean(Capacity.class);
        assertTrue(planServers(token) > 0, "room before the panel is filled");
        assertEquals(0.0, waitingGauge(), "registered at 0: " + lines(prometheus(), "orders_waiting"));

        // Node 1 filled outside the orchestrator: every one of its allocations taken.
        for (int i = 0; i < 100; i++) {
            java.net.http.HttpResponse<String> planted = sim("POST", "/_sim/servers",
                    Map.of("external_id", "outside-" + i, "name", "Outside " + i));
            assertEquals(201, planted.statusCode(), planted.body());
        }
        assertEquals(100, panel.state().servers().stream().filter(s -> s.node() == 1).count());
        long before = shop.balance(token);

        // Both checkouts go in on the cached figures (room shown). They must come before the first saga's refusal:
        // picking a free allocation again reads the node afresh, and then a checkout sees it full (409 SOLD_OUT).
        String waiting = accepted(shop.checkout(token, "wait-" + UUID.randomUUID(), waitingCheckout("PT1H")));
        // A second order that waits only a few seconds: refunded once they are over.
        String late = accepted(shop.checkout(token, "late-" + UUID.randomUUID(), waitingCheckout("PT3S")));
        Map<String, Object> view = shop.awaitOrder(token, waiting, "WAITING_FOR_CAPACITY"::equals,
                Duration.ofMinutes(2));
        assertEquals("NO_CAPACITY", view.get("reasonCode"), String.valueOf(view));
        assertEquals("waitForCapacity", view.get("currentStep"), String.valueOf(view));
        Map<String, Object> lateDone = shop.awaitOrder(token, late, Shop::terminal, Duration.ofMinutes(2));
        assertEquals(before - 500, shop.balance(token), "charged once, not refunded while waiting: " + lateDone);
        assertEquals(List.of(waiting), waitingOrderIds(admin), "operators list it from the store");
        eventually(() -> waitingGauge() == 1.0, Duration.ofSeconds(30));
        eventually(() -> capacity.reservationsHeld() == 0, Duration.ofSeconds(30));
        eventually(() -> shop.mail().getReceivedMessages().length > 0 && java.util.Arrays.stream(
                shop.mail().getReceivedMessages()).anyMatch(m -> subject(m).contains("waiting for a free server")),
                Duration.ofSeconds(30));

        Map<String, Object> refunded = shop.awaitOrder(token, late, Shop::terminal, Duration.ofMinutes(2));
        assertEquals("REFUNDED", refunded.get("status"), String.valueOf(refunded));
        assertEquals("NO_CAPACITY", refunded.get("reasonCode"), String.valueOf(refunded));
        List<WalletEntry> ledger = shop.app().bean(Wallets.class).entries(customerId, 0, 1000).entries();
        String latePayment = PaymentIds.forOrder(late, 1);
        assertEquals(1, ledger.stream().filter(e -> e.key().equals(PaymentIds.debitKey(latePayment))).count(),
                "the late order was charged: " + ledger);
        assertEquals(1, ledger.stream().filter(e -> e.key().equals(PaymentIds.refundKey(latePayment))
                && e.type() == WalletEntry.Type.CREDIT && e.coins() == 500).count(), "and refunded: " + ledger);
        assertEquals(before - 500, shop.balance(token));

        // The panel gets a new machine in Frankfurt; an operator says so.
        java.net.http.HttpResponse<String> added = sim("POST", "/_sim/nodes",
                Map.of("location_id", 1, "name", "fra-node-02"));
        assertEquals(201, added.statusCode(), added.body());
        int newNode = JSON.readTree(added.body()).get("id").asInt();
        HttpResponse<Map<String, Object>> refused = shop.app().exchange(HttpRequest.POST(
                "/api/v1/admin/capacity/added", Map.of("planId", PLAN)).bearerAuth(token));
        assertEquals(403, refused.code(), "a customer cannot wake orders");
        HttpResponse<Map<String, Object>> woken = shop.app().exchange(HttpRequest.POST(
                "/api/v1/admin/capacity/added", Map.of("planId", PLAN, "locationId", 1)).bearerAuth(admin));
        assertEquals(202, woken.code(), String.valueOf(woken.getBody().orElse(null)));
        assertEquals(List.of(waiting), woken.getBody().orElseThrow().get("orderIds"));

        Map<String, Object> active = shop.awaitOrder(token, waiting, Shop::terminal, Duration.ofMinutes(2));
        assertEquals("ACTIVE", active.get("status"), String.valueOf(active));
        SimState.ServerView server = panel.state().servers().stream()
                .filter(s -> ("order:" + waiting).equals(s.externalId())).findFirst().orElseThrow();
        assertEquals(newNode, server.node(), "placed on the new node");
        assertEquals(before - 500, shop.balance(token), "one debit for the active server, the late one refunded");
        assertEquals(List.of(), waitingOrderIds(admin));
        eventually(() -> waitingGauge() == 0.0, Duration.ofSeconds(30));
        assertEquals(1, shop.app().bean(OrderStore.class).list(null, "ACTIVE", 0, 10).items().size());
    }

    @Test
    void aWaitOutsideItsBoundsIsRefusedAndNothingIsStored() {
        String token = shop.login(Shop.DEMO);
        long orders = shop.app().bean(OrderStore.class).count(null, null);
        for (String bad : List.of("PT0S", "PT2H", "P")) {
            HttpResponse<Map<String, Object>> refused = shop.checkout(token, "bad-" + UUID.randomUUID(),
                    waitingCheckout(bad));
            assertEquals(422, refused.code(), bad + ": " + refused.getBody().orElse(null));
            Map<String, Object> error = TestApp.error(refused);
            assertEquals("INVALID_WAIT_FOR_CAPACITY", error.get("code"), String.valueOf(error));
            assertEquals("waitForCapacity.maxWait", ((Map<?, ?>) error.get("details")).get("field"));
        }
        HttpResponse<Map<String, Object>> unreadable = shop.checkout(token, "bad-" + UUID.randomUUID(),
                waitingCheckout("six hours"));
        assertEquals(400, unreadable.code(), String.valueOf(unreadable.getBody().orElse(null)));
        assertEquals("VALIDATION_FAILED", TestApp.error(unreadable).get("code"));
        Map<String, Object> unknownField = new HashMap<>(Shop.tkcoins(PLAN));
        unknownField.put("waitForCapacity", Map.of("maxWait", "PT1H", "$gt", 1));
        HttpResponse<Map<String, Object>> strict = shop.checkout(token, "bad-" + UUID.randomUUID(), unknownField);
        assertEquals(400, strict.code(), String.valueOf(strict.getBody().orElse(null)));
        assertEquals(orders, shop.app().bean(OrderStore.class).count(null, null), "nothing stored");
    }

    private static Map<String, Object> waitingCheckout(String maxWait) {
        Map<String, Object> body = new HashMap<>(Shop.tkcoins(PLAN));
        body.put("waitForCapacity", Map.of("maxWait", maxWait));
        return body;
    }

    private static String accepted(HttpResponse<Map<String, Object>> response) {
        assertEquals(202, response.code(), String.valueOf(response.getBody().orElse(null)));
        return (String) response.getBody().orElseThrow().get("orderId");
    }

    @SuppressWarnings("unchecked")
    private static List<String> waitingOrderIds(String admin) {
        Map<String, Object> page = shop.app().http().retrieve(HttpRequest.GET(
                "/api/v1/orders?status=WAITING_FOR_CAPACITY").bearerAuth(admin),
                io.micronaut.core.type.Argument.mapOf(String.class, Object.class));
        return ((List<Map<String, Object>>) page.get("items")).stream().map(o -> (String) o.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static long planServers(String token) {
        List<Map<String, Object>> plans = shop.app().http().retrieve(HttpRequest.GET("/api/v1/plans").bearerAuth(token),
                io.micronaut.core.type.Argument.listOf(io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
        Map<String, Object> plan = plans.stream().filter(p -> PLAN.equals(p.get("id"))).findFirst().orElseThrow();
        return ((Number) ((Map<String, Object>) plan.get("availability")).get("servers")).longValue();
    }

    private static String prometheus() {
        return shop.app().http().retrieve(HttpRequest.GET("/prometheus"), String.class);
    }

    private static String subject(jakarta.mail.internet.MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            return "";
        }
    }

    private static java.net.http.HttpResponse<String> sim(String method, String path, Object body) throws Exception {
        return HTTP.send(java.net.http.HttpRequest.newBuilder(URI.create(panel.baseUrl() + path))
                .header("Content-Type", "application/json")
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** The gauge's value in the Prometheus output (whatever common tags the registry adds). */
    private static double waitingGauge() {
        String line = prometheus().lines().filter(l -> l.startsWith("orders_waiting_for_capacity ")
                || l.startsWith("orders_waiting_for_capacity{")).findFirst()
                .orElseThrow(() -> new AssertionError("no orders_waiting_for_capacity series"));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static String lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n"));
    }

    private static void eventually(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("condition not met within " + timeout);
    }
}
