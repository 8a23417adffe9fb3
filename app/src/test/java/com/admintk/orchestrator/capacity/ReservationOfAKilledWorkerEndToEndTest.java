package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.localstack.stripe.FakeStripe;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.plan.DemoPlans;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.testing.AppProcess;
import com.admintk.orchestrator.testing.DemoData;
import com.admintk.orchestrator.testing.SecondFactor;
import com.admintk.orchestrator.testing.TestApp;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 2 of issue 12: the room held by a saga whose worker was killed with SIGKILL is not lost. The API runs
 * in this JVM, the workers as separate JVMs, against a panel of this test's own where the plan fits exactly once.
 * While the dead saga's reservation lives, checkouts are sold out; once it lapses the room is sold again; and when
 * the saga comes back on a new worker it finds the room gone and refunds instead of overselling.
 */
class ReservationOfAKilledWorkerEndToEndTest {

    private static final String PLAN = "one-room";
    private static final Duration RESERVATION_TTL = Duration.ofSeconds(8);

    private static PanelSimulator panel;
    private static Map<String, String> workerEnv;
    private static TestApp api;

    @BeforeAll
    static void start() {
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofMillis(500))
                .build()).start();
        String database = "resv" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        workerEnv = TestStack.appEnvironment("worker", database);
        workerEnv.put("PANEL_URL", panel.baseUrl());
        workerEnv.put("PANEL_RATE_LIMIT_KEY", "admintk:panel:rate:" + database);
        workerEnv.put("INSTALL_POLL_INITIAL", "1s");
        workerEnv.put("INSTALL_POLL_MAX", "1s");
        workerEnv.put("CARD_PAYMENT_DEADLINE", "10m");
        workerEnv.put("CAPACITY_RESERVATION_TTL", RESERVATION_TTL.toSeconds() + "s");
        workerEnv.put("CAPACITY_CACHE_TTL", "1s");
        workerEnv.put("CAPACITY_PLACED_LINGER", "3s");
        Map<String, Object> apiProperties = new HashMap<>();
        apiProperties.put("mongodb.uri", TestStack.get().mongoUri(database));
        apiProperties.put("panel.url", panel.baseUrl());
        apiProperties.put("panel.rate-limit-key", "admintk:panel:rate:" + database);
        apiProperties.put("orchestrator.security.rate-limit.enabled", false);
        apiProperties.put("orchestrator.security.bcrypt-cost", 4);
        apiProperties.put("orchestrator.orders.card-payment-deadline", "10m");
        apiProperties.put("orchestrator.capacity.reservation-ttl", RESERVATION_TTL.toSeconds() + "s");
        apiProperties.put("orchestrator.capacity.cache-ttl", "1s");
        apiProperties.put("orchestrator.capacity.placed-linger", "3s");
        api = TestApp.start("api", apiProperties);
        DemoData.seed(api.context());
        // 40 GiB: node 1 (64 GiB, Frankfurt) holds exactly one.
        Plan paper = DemoPlans.PLANS.get(0);
        api.bean(PlanCatalog.class).save(new Plan(PLAN, "One room", "Fits once", paper.nestId(), paper.eggId(),
                paper.dockerImage(), paper.startup(), paper.environment(), new ServerSpec.Limits(40_960, 0, 10_240, 500, 200),
                paper.featureLimits(), List.of(1), paper.portRanges(), 500, 499, "eur", BillingCycle.MONTHLY, true,
                paper.secretVariables(), paper.egg(), null));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        panel.close();
    }

    @Test
    void theRoomOfASagaWhoseWorkerWasKilledIsReleasedAndSoldAgainWithoutOverselling() {
        String token = (String) SecondFactor.login(api, "demo@admin-tk.local", DemoData.PASSWORD).get("accessToken");
        Capacity capacity = api.bean(Capacity.class);
        assertEquals(1L, planServers(token), "the plan fits once");

        String waiting;
        String pi;
        try (AppProcess first = worker("resv-worker-1")) {
            waiting = accepted(checkout(token, "card"));
            Map<String, Object> awaiting = awaitView(token, waiting, view -> payment(view) != null
                    && "AWAITING_CUSTOMER".equals(payment(view).get("status")), Duration.ofSeconds(60));
            pi = (String) payment(awaiting).get("providerPaymentId");
            first.kill();
        }
        // The saga is waiting for its card payment on no worker at all: its reservation still holds the room.
        assertEquals(1, capacity.reservationsHeld());
        HttpResponse<Map<String, Object>> refused = checkout(token, "tkcoins");
        assertEquals(409, refused.code(), String.valueOf(refused.getBody().orElse(null)));
        assertEquals("SOLD_OUT", TestApp.error(refused).get("code"));
        Map<?, ?> details = (Map<?, ?>) TestApp.error(refused).get("details");
        assertEquals(PLAN, details.get("planId"));
        assertEquals(List.of(1), details.get("locationIds"));
        assertEquals(0L, planServers(token), "sold out while the reservation lives");

        // Nobody holds it again: it lapses after its TTL and the room is for sale again.
        eventually(() -> capacity.reservationsHeld() == 0, Duration.ofSeconds(30));
        assertEquals(1L, planServers(token));
        String reused = accepted(checkout(token, "tkcoins"));

        try (AppProcess second = worker("resv-worker-2")) {
            Map<String, Object> active = awaitView(token, reused, view -> terminal(view.get("status")),
                    Duration.ofMinutes(2));
            assertEquals("ACTIVE", active.get("status"), String.valueOf(active));

            // The killed saga resumes on the new worker and is paid: it holds its reservation again before the
            // create, finds the room sold, and refunds instead of placing a second server on a full node.
            FakeStripe.SignedEvent paid = TestStack.stripe().succeed(pi);
            assertEquals(200, TestStack.stripe().deliver(paid, URI.create(api.url() + "/api/v1/payments/webhooks/stripe")));
            Map<String, Object> refunded = awaitView(token, waiting, view -> terminal(view.get("status")),
                    Duration.ofMinutes(2));
            assertEquals("REFUNDED", refunded.get("status"), String.valueOf(refunded));
            assertEquals("NO_CAPACITY", refunded.get("reasonCode"), String.valueOf(refunded));
        }

        List<SimState.ServerView> servers = panel.state().servers();
        assertEquals(1, servers.size(), "one server on the node: " + servers);
        assertEquals("order:" + reused, servers.get(0).externalId());
        assertEquals(1, TestStack.stripe().refunds().stream().filter(r -> pi.equals(r.get("payment_intent"))).count(),
                "the resumed card order was refunded");
        eventually(() -> capacity.reservationsHeld() == 0, Duration.ofSeconds(30));
        assertEquals(0L, planServers(token), "the node is full with the reused room's server");
    }

    private static AppProcess worker(String name) {
        return AppProcess.start(name, new LinkedHashMap<>(workerEnv)).awaitReady(Duration.ofSeconds(90));
    }

    private static HttpResponse<Map<String, Object>> checkout(String token, String method) {
        return api.exchange(HttpRequest.POST("/api/v1/orders", Map.of("planId", PLAN, "serverName", "One room",
                "paymentMethod", method)).bearerAuth(token).header("Idempotency-Key", UUID.randomUUID().toString()));
    }

    private static String accepted(HttpResponse<Map<String, Object>> response) {
        assertEquals(202, response.code(), () -> String.valueOf(response.getBody().orElse(null)));
        return (String) response.getBody().orElseThrow().get("orderId");
    }

    @SuppressWarnings("unchecked")
    private static long planServers(String token) {
        List<Map<String, Object>> plans = api.http().retrieve(HttpRequest.GET("/api/v1/plans").bearerAuth(token),
                io.micronaut.core.type.Argument.listOf(io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
        Map<String, Object> plan = plans.stream().filter(p -> PLAN.equals(p.get("id"))).findFirst().orElseThrow();
        Map<String, Object> availability = (Map<String, Object>) plan.get("availability");
        return ((Number) availability.get("servers")).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payment(Map<String, Object> order) {
        return (Map<String, Object>) order.get("payment");
    }

    private static boolean terminal(Object status) {
        return List.of("ACTIVE", "FAILED", "REFUNDED", "CANCELLED", "COMPENSATION_FAILED").contains(status);
    }

    private static Map<String, Object> awaitView(String token, String orderId, Predicate<Map<String, Object>> done,
                                                 Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> last;
        do {
            HttpResponse<Map<String, Object>> response = api.exchange(
                    HttpRequest.GET("/api/v1/orders/" + orderId).bearerAuth(token));
            last = response.getBody().orElseThrow();
            if (done.test(last)) {
                return last;
            }
            sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("order " + orderId + " not there within " + timeout + ": " + last);
    }

    private static void eventually(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout);
            }
            sleep(250);
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
