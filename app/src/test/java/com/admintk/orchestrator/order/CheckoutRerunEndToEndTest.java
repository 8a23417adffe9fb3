package com.admintk.orchestrator.order;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.security.AuditLog;
import com.admintk.orchestrator.testing.FaultyAuditLog;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 8 A: a checkout whose first request failed after the saga had started (here the audit write) is retried by
 * the store with the same Idempotency-Key. The retry must answer the order without running it again: a second run of
 * the same attempt would find the first run's (refunded) debit under its ledger key and provision for free.
 */
class CheckoutRerunEndToEndTest {

    private static final String PLAN = "paper-2g";
    private static final long COINS = 500;

    private static Shop shop;
    private static String token;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of("test.audit-faults", true));
        token = shop.login(Shop.DEMO);
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    @Test
    void aRetriedCheckoutOfARefundedOrderNeitherRunsNorChargesNorProvisionsAgain() {
        PanelSimulator panel = TestStack.panel();
        long before = shop.balance(token);
        String key = "rerun-" + UUID.randomUUID();
        Map<String, Object> body = Sagas.body(PLAN, "tkcoins", null);

        String orderId;
        Map<String, Object> refunded;
        panel.faults().failNextInstalls(1);
        try {
            shop.app().bean(FaultyAuditLog.class).failNext(AuditLog.Actions.ORDER_CREATED, 1);
            HttpResponse<Map<String, Object>> first = shop.checkout(token, key, body);
            assertEquals(500, first.code(), () -> String.valueOf(first.getBody().orElse(null)));
            orderId = orderNamed((String) body.get("serverName"));
            refunded = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofSeconds(90));
        } finally {
            panel.faults().clear();
        }
        Map<String, Object> done = refunded;
        assertEquals("REFUNDED", done.get("status"), () -> String.valueOf(done));
        // The store retries later, when the run is over (it still notifies after the order is marked REFUNDED).
        WorkflowExecutionDescription firstRun = awaitClosed(orderId);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED, firstRun.getStatus());
        // What the Web UI shows as merely "Completed", an operator can filter by (issue 8 B).
        assertEquals("REFUNDED", firstRun.getTypedSearchAttributes().get(SearchAttributes.ORDER_STATUS));

        HttpResponse<Map<String, Object>> retried = shop.checkout(token, key, body);
        assertEquals(202, retried.code(), () -> String.valueOf(retried.getBody().orElse(null)));
        assertEquals(orderId, retried.getBody().orElseThrow().get("orderId"));
        // A start happens inside the request: had the retry started a run, it would be the latest one by now.
        assertEquals(firstRun.getExecution().getRunId(), describe(orderId).getExecution().getRunId(), "no second run of the same attempt");
        HttpResponse<Map<String, Object>> replay = shop.checkout(token, key, body);
        assertEquals(202, replay.code());
        assertEquals(retried.getBody().orElseThrow(), replay.getBody().orElseThrow());

        Map<String, Object> after = shop.order(token, orderId);
        assertEquals("REFUNDED", after.get("status"), () -> String.valueOf(after));
        assertEquals(1, ((Number) after.get("attempt")).intValue());
        assertEquals(before, shop.balance(token), "the wallet is back where it started");
        List<Map<String, Object>> moves = shop.ledger(token).stream()
                .filter(entry -> String.valueOf(entry.get("key")).contains(orderId)).toList();
        assertEquals(1, moves.stream().filter(e -> "DEBIT".equals(e.get("type"))
                && ((Number) e.get("coins")).longValue() == COINS).count(), String.valueOf(moves));
        assertEquals(1, moves.stream().filter(e -> "CREDIT".equals(e.get("type"))
                && String.valueOf(e.get("key")).startsWith("refund:")).count(), String.valueOf(moves));
        assertEquals(2, moves.size(), String.valueOf(moves));
        assertTrue(Sagas.servers(orderId).isEmpty(), () -> "servers for " + orderId + ": " + Sagas.servers(orderId));
    }

    @SuppressWarnings("unchecked")
    private static String orderNamed(String serverName) {
        HttpResponse<Map<String, Object>> page = shop.app().exchange(
                HttpRequest.GET("/api/v1/orders?size=100").bearerAuth(token));
        assertEquals(200, page.code());
        return ((List<Map<String, Object>>) page.getBody().orElseThrow().get("items")).stream()
                .filter(order -> serverName.equals(order.get("serverName")))
                .map(order -> (String) order.get("id")).findFirst()
                .orElseThrow(() -> new AssertionError("no order for " + serverName + ": " + page.getBody()));
    }

    private static WorkflowExecutionDescription awaitClosed(String orderId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        WorkflowExecutionDescription run = describe(orderId);
        while (run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            assertTrue(System.nanoTime() < deadline, "run of " + orderId + " still open");
            Sagas.sleep(200);
            run = describe(orderId);
        }
        return run;
    }

    private static WorkflowExecutionDescription describe(String orderId) {
        return shop.app().bean(WorkflowClient.class).newUntypedWorkflowStub(OrderIds.workflowId(orderId)).describe();
    }
}
