package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.CardPaymentEvent;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentStatus;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.payment.PaymentWorkflowImpl;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Replays recorded histories of the main paths against today's code, so a change that would break running orders
 * fails here. Record the histories of a new, versioned change with
 * {@code ./mvnw -B -q -pl workflows test -Dtest=OrderHistoryReplayTest -Dhistories.record=true}: files already
 * there are kept, since they are the runs of older versions that must still replay.
 */
class OrderHistoryReplayTest {

    /** order histories; {@code payment-*} files are payment histories. */
    private static final List<String> HISTORIES = List.of(
            "order-tkcoins-active", "order-card-active", "order-install-failed-refunded", "order-cancelled-mid-install",
            "order-insufficient-funds", "payment-card-succeeded",
            // egg-before-charge version 1: the egg is resolved by an activity before the charge.
            "order-egg-first-active", "order-egg-refused-before-charge");

    private static final Path DIR = Path.of("src/test/resources/histories");

    @Test
    void recordedHistoriesReplayWithoutNonDeterminism() throws Exception {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            // A cold JVM on shared cores can take over a second on the first task: that is not a deadlock.
            Worker worker = env.newWorker("replay", WorkerOptions.newBuilder()
                    .setDefaultDeadlockDetectionTimeout(30_000).build());
            worker.registerWorkflowImplementationTypes(OrderProvisioningWorkflowImpl.class, PaymentWorkflowImpl.class);
            for (String name : HISTORIES) {
                String json;
                try (InputStream in = getClass().getClassLoader().getResourceAsStream("histories/" + name + ".json")) {
                    assertNotNull(in, "missing recorded history " + name);
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(json), worker);
            }
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "histories.record", matches = "true")
    void recordHistories() throws IOException {
        Files.createDirectories(DIR);
        try (SagaRig rig = new SagaRig()) {
            assertEquals(OrderStatus.ACTIVE, rig.run(order("h-coins", PaymentMethod.TKCOINS)).status());
            save(rig, "order:h-coins", "order-tkcoins-active");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.start(order("h-card", PaymentMethod.CARD));
            String paymentId = PaymentIds.workflowId(PaymentIds.forOrder("h-card", 1));
            PaymentWorkflow payment = rig.paymentStub(paymentId);
            eventually(() -> payment.details().status() == PaymentStatus.AWAITING_CUSTOMER);
            String pi = payment.details().providerPaymentId();
            rig.payments.customerPaid(pi);
            payment.webhook(new CardPaymentEvent("evt_1", CardPaymentEvent.SUCCEEDED, pi, 999, "eur", null));
            assertEquals(OrderStatus.ACTIVE, rig.resultOf("h-card").status());
            save(rig, "order:h-card", "order-card-active");
            save(rig, paymentId, "payment-card-succeeded");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.install = FakePanel.Install.FAILS;
            assertEquals(OrderStatus.REFUNDED, rig.run(order("h-instfail", PaymentMethod.TKCOINS)).status());
            save(rig, "order:h-instfail", "order-install-failed-refunded");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.install = FakePanel.Install.NEVER_FINISHES;
            OrderProvisioningWorkflow order = rig.start(order("h-cancel", PaymentMethod.TKCOINS));
            eventually(() -> "awaitInstalled".equals(rig.progress("h-cancel").currentStep()));
            order.cancel("changed my mind");
            assertEquals(OrderStatus.CANCELLED, rig.resultOf("h-cancel").status());
            save(rig, "order:h-cancel", "order-cancelled-mid-install");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.payments.setBalance(SagaRig.CUSTOMER, 1);
            assertEquals(OrderStatus.FAILED, rig.run(order("h-poor", PaymentMethod.TKCOINS)).status());
            save(rig, "order:h-poor", "order-insufficient-funds");
        }
        try (SagaRig rig = new SagaRig()) {
            assertEquals(OrderStatus.ACTIVE, rig.run(order("h-egg-first", PaymentMethod.TKCOINS)).status());
            save(rig, "order:h-egg-first", "order-egg-first-active");
        }
        try (SagaRig rig = new SagaRig()) {
            assertEquals(OrderStatus.FAILED, rig.run(SagaRig.withEggVariables(order("h-egg-bad", PaymentMethod.CARD),
                    Map.of("SERVER_JARFILE", "server.exe"))).status());
            save(rig, "order:h-egg-bad", "order-egg-refused-before-charge");
        }
    }

    private static void save(SagaRig rig, String workflowId, String name) throws IOException {
        if (Files.exists(DIR.resolve(name + ".json"))) {
            return;
        }
        String json = rig.client.fetchHistory(workflowId).toJson(true);
        Files.writeString(DIR.resolve(name + ".json"), json, StandardCharsets.UTF_8);
    }
}
