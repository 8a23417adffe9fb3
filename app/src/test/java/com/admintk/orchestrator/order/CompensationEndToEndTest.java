package com.admintk.orchestrator.order;

import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8: an undo outlives a rotated panel key. Over HTTP, against the panel simulator: the application key is
 * revoked while the server installs, so the saga fails and its delete is refused; the key is restored, and the same
 * compensation (retried on its own schedule, not given up at the first 403) deletes the server and refunds.
 */
class CompensationEndToEndTest {

    private static final String PLAN = "paper-2g";
    private static final long COINS = 500;

    private static Shop shop;
    private static String token;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of("orchestrator.orders.install-deadline", "120s"));
        token = shop.login(Shop.DEMO);
    }

    @AfterAll
    static void close() {
        TestStack.panel().settings().applicationKeyRevoked(false);
        shop.close();
    }

    @Test
    void aKeyRevokedDuringCompensationThenRestoredStillDeletesTheServerAndRefunds() {
        PanelSimulator panel = TestStack.panel();
        Duration installTime = panel.settings().installTime();
        long before = shop.balance(token);
        String orderId;
        Map<String, Object> order;
        panel.settings().installTime(Duration.ofSeconds(60));
        try {
            orderId = Sagas.place(shop, token, Sagas.body(PLAN, "tkcoins", null));
            Sagas.awaitView(shop, token, orderId, view -> "awaitInstalled".equals(view.get("currentStep")),
                    Duration.ofSeconds(30));
            assertEquals(1, Sagas.servers(orderId).size(), "the server exists while it installs");

            Instant revokedAt = Instant.now();
            panel.settings().applicationKeyRevoked(true);
            // The next install probe is refused: final for a forward step, so the saga starts undoing at once.
            Sagas.awaitView(shop, token, orderId, view -> "COMPENSATING".equals(view.get("status")),
                    Duration.ofSeconds(30));
            awaitRefusedDeletes(panel, Sagas.servers(orderId).get(0).id(), orderId, revokedAt, 2);
            Map<String, Object> stillUndoing = shop.order(token, orderId);
            assertEquals("COMPENSATING", stillUndoing.get("status"), String.valueOf(stillUndoing));
            assertEquals(1, Sagas.servers(orderId).size(), "a refused delete leaves the server");

            panel.settings().applicationKeyRevoked(false);
            // The backoff is capped at minutes; the first retries after the restore come within seconds.
            order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(120));
        } finally {
            panel.settings().applicationKeyRevoked(false);
            panel.settings().installTime(installTime);
        }
        Map<String, Object> done = order;
        assertEquals("REFUNDED", done.get("status"), () -> String.valueOf(done));
        assertEquals("PROVISIONING_FAILED", done.get("reasonCode"), String.valueOf(done));
        Map<String, Object> asAdmin = shop.order(shop.login(Shop.ADMIN), orderId);
        assertTrue(String.valueOf(asAdmin.get("cause")).contains("PanelAccessDenied"), String.valueOf(asAdmin));
        Map<String, String> steps = Sagas.steps(done);
        assertEquals("COMPENSATED", steps.get("createServer"), String.valueOf(steps));
        assertEquals("COMPENSATED", steps.get("charge"), String.valueOf(steps));
        assertTrue(Sagas.servers(orderId).isEmpty(), () -> "servers left: " + Sagas.servers(orderId));
        assertEquals(before, shop.balance(token), "the wallet is restored");
        List<Map<String, Object>> moves = shop.ledger(token).stream()
                .filter(e -> String.valueOf(e.get("key")).contains(orderId)).toList();
        assertEquals(1, moves.stream().filter(e -> "CREDIT".equals(e.get("type"))
                && ((Number) e.get("coins")).longValue() == COINS).count(), String.valueOf(moves));

    }

    /**
     * The provision child knows the server it made, so its undo deletes it by id (one panel call per attempt):
     * refused deletes of this order's server after the revoke.
     */
    private static void awaitRefusedDeletes(PanelSimulator panel, int panelServerId, String orderId, Instant since,
                                            int atLeast) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long refused = panel.state().requests().stream()
                    .filter(r -> r.at().isAfter(since) && r.status() == 401)
                    .filter(r -> r.method().equals("DELETE") && r.path().endsWith("/servers/" + panelServerId))
                    .count();
            if (refused >= atLeast) {
                return;
            }
            Sagas.sleep(200);
        }
        throw new AssertionError("no refused delete attempts for " + orderId + ": " + panel.state().requests().stream()
                .filter(r -> r.at().isAfter(since)).map(SimState.RequestRecord::toString).toList());
    }
}
