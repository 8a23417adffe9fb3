package com.admintk.orchestrator.order;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.payment.CardPaymentEvent;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentStatus;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.payment.PaymentWorkflowImpl;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.server.ChangeServerBuildWorkflow;
import com.admintk.orchestrator.server.ChangeServerBuildWorkflowImpl;
import com.admintk.orchestrator.server.PlanChangeRequest;
import com.admintk.orchestrator.server.ReinstallServerWorkflow;
import com.admintk.orchestrator.server.ReinstallServerWorkflowImpl;
import com.admintk.orchestrator.server.ServerActionRequest;
import com.admintk.orchestrator.reconciliation.ReconciliationPolicy;
import com.admintk.orchestrator.reconciliation.ReconciliationRig;
import com.admintk.orchestrator.reconciliation.ReconciliationWorkflowImpl;
import com.admintk.orchestrator.server.LifecyclePolicy;
import com.admintk.orchestrator.server.ProvisionServerWorkflow;
import com.admintk.orchestrator.server.ServerLifecycleInput;
import com.admintk.orchestrator.server.ServerLifecycleState;
import com.admintk.orchestrator.server.ServerLifecycleWorkflow;
import com.admintk.orchestrator.server.ServerLifecycleWorkflowImpl;
import com.admintk.orchestrator.server.SuspendServerWorkflowImpl;
import com.admintk.orchestrator.server.TerminateServerWorkflow;
import com.admintk.orchestrator.server.ProvisionServerWorkflowImpl;
import com.admintk.orchestrator.server.TerminateServerWorkflowImpl;
import com.admintk.orchestrator.server.UnsuspendServerWorkflowImpl;
import com.admintk.orchestrator.server.ServerResourceAlert;
import com.admintk.orchestrator.server.ServerResourceAlertWorkflow;
import com.admintk.orchestrator.server.ServerResourceAlertWorkflowImpl;
import com.admintk.orchestrator.testing.FakeNotifications;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.Journal;
import com.admintk.orchestrator.testing.SagaRig;
import com.admintk.orchestrator.wallet.TopUpIds;
import com.admintk.orchestrator.wallet.TopUpRig;
import com.admintk.orchestrator.wallet.TopUpStatus;
import com.admintk.orchestrator.wallet.WalletTopUpWorkflowImpl;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.WorkflowInterface;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Map;

import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replays recorded histories of the main paths of every workflow type against today's code, so a change that would
 * break running orders, payments or server lifecycles fails here. Record the histories a new path needs with
 * {@code ./mvnw -B -q -pl workflows test -Dtest=OrderHistoryReplayTest -Dhistories.record=true}: it writes only the
 * files that are missing. Keep the old files after a versioned change (they are what proves the old branch still
 * replays); {@code -Dhistories.overwrite=true} re-records them all.
 */
class OrderHistoryReplayTest {

    /** {@code order-*}, {@code payment-*} and {@code server-*} files hold histories of those workflow types
     * ({@code server-suspend|unsuspend|terminate}: the lifecycle's panel-side children). */
    private static final List<String> HISTORIES = List.of(
            "order-tkcoins-active", "order-card-active", "order-install-failed-refunded", "order-cancelled-mid-install",
            "order-insufficient-funds", "order-compensation-failed", "payment-card-succeeded",
            "server-lifecycle-renewed", "server-lifecycle-terminated",
            // lifecycle-billing version 1: renewals charged, dunning, suspension and termination as child workflows.
            "server-lifecycle-billing-renewed", "server-lifecycle-dunning-terminated", "server-suspend",
            "server-unsuspend", "server-terminate",
            // egg-before-charge version 1: the egg is resolved by an activity before the charge.
            "order-egg-first-active", "order-egg-refused-before-charge",
            // lifecycle requests (Updates): pay now, a plan change and a reinstall as children of the lifecycle.
            "server-lifecycle-actions", "server-change-build-restored", "server-change-build", "server-reinstall",
            // reconciliation: one pass with a repair of each kind, then the sleep and continue-as-new.
            "reconciliation-pass",
            // wallet top-up by card: paid, then credited once.
            "topup-card-credited",

            // provision-child version 1: ensure user, create and await installed in a ProvisionServerWorkflow child
            // that undoes its own create; the order carries the lifecycle policy. The child was never released with
            // its first shape (several-call ensurePanelUser and deleteServer): these were re-recorded with the
            // one-call activities rather than versioned.
            "order-provision-child-active", "order-provision-child-install-failed",
            "order-provision-child-cancelled", "provision-server-installed", "provision-server-install-failed",
            "provision-server-cancelled",
            // a server over its CPU alert level: the customer's email on the notifications queue.
            "server-resource-alert",
            // capacity-reservation version 1: the checkout's reservation held before the charge and the create,
            // the server placed on its allocation, the room given back (after the install, or when sold out).
            "order-capacity-reserved-active", "order-capacity-sold-out",
            // close-live-sessions version 1: suspend and terminate end the server's live sessions after the store
            // mark (server-suspend and server-terminate above are the runs from before it).
            "server-suspend-closes-live", "server-terminate-closes-live",
            // multi-port version 1: a Rust order on four reserved allocations, one taken on the panel, picked again
            // by the provision child.
            "order-several-ports-repicked", "provision-server-several-ports-repicked",
            // wait-for-capacity version 1: refused for want of room after the charge, the order waits; woken by
            // capacityAdded it takes room afresh and ends ACTIVE, or its wait runs out and it refunds.
            "order-capacity-waited-active", "order-capacity-wait-refunded",
            // install-signal version 1: the server listed for the install watcher once the create answered; the
            // watcher's signal ends the wait (one probe), or the polling does and takes the server off the list.
            "order-install-signalled", "provision-server-install-signalled", "provision-server-install-polled",
            // progress-batches version 1: the child reports its steps in two batch signals and its result (an order
            // that installs at once), or flushes before its undo and before it ends (a cancelled one).
            "order-progress-batched-active", "provision-server-progress-batched",
            "order-progress-batched-cancelled", "provision-server-progress-batched-cancelled",
            // order-saga version 2 and local-install-watch version 1: the store writes, the reservation calls and
            // the install watch list as local activities (markers in the history instead of scheduled activities).
            "order-local-steps-active", "provision-server-local-steps");

    /** Every workflow implementation the workers run: each must have at least one recorded history. */
    private static final List<Class<?>> WORKFLOWS = List.of(OrderProvisioningWorkflowImpl.class,
            PaymentWorkflowImpl.class, ServerLifecycleWorkflowImpl.class, SuspendServerWorkflowImpl.class,
            UnsuspendServerWorkflowImpl.class, TerminateServerWorkflowImpl.class,
            ChangeServerBuildWorkflowImpl.class, ReinstallServerWorkflowImpl.class,
            ReconciliationWorkflowImpl.class, WalletTopUpWorkflowImpl.class,
            ProvisionServerWorkflowImpl.class, ServerResourceAlertWorkflowImpl.class);

    private static final Path DIR = Path.of("src/test/resources/histories");

    @Test
    void recordedHistoriesReplayWithoutNonDeterminism() throws Exception {
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            // A cold JVM on shared cores can take over a second on the first task: that is not a deadlock.
            Worker worker = env.newWorker("replay", WorkerOptions.newBuilder()
                    .setDefaultDeadlockDetectionTimeout(30_000).build());
            worker.registerWorkflowImplementationTypes(WORKFLOWS.toArray(Class<?>[]::new));
            Set<String> replayedTypes = new TreeSet<>();
            for (String name : HISTORIES) {
                String json;
                try (InputStream in = getClass().getClassLoader().getResourceAsStream("histories/" + name + ".json")) {
                    assertNotNull(in, "missing recorded history " + name);
                    json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
                replayedTypes.add(history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
                        .getWorkflowType().getName());
                WorkflowReplayer.replayWorkflowExecution(history, worker);
            }
            Set<String> registeredTypes = new TreeSet<>();
            for (Class<?> type : WORKFLOWS) {
                for (Class<?> contract : type.getInterfaces()) {
                    if (contract.isAnnotationPresent(WorkflowInterface.class)) {
                        registeredTypes.add(contract.getSimpleName());
                    }
                }
            }
            assertEquals(registeredTypes, replayedTypes, "every workflow type needs a recorded history");
        }
    }

    @Test
    void theCompensationFailedHistoryTakesTheVersionedBranch() throws Exception {
        String json;
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("histories/order-compensation-failed.json")) {
            assertNotNull(in);
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> changeIds = new ArrayList<>();
        List<String> activities = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (HistoryEvent event : WorkflowExecutionHistory.fromJson(json).getEvents()) {
            if (event.hasMarkerRecordedEventAttributes()) {
                changeIds.add(text(event.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId")
                        .getPayloads(0)));
            }
            if (event.hasActivityTaskScheduledEventAttributes()) {
                var scheduled = event.getActivityTaskScheduledEventAttributes();
                activities.add(scheduled.getActivityType().getName());
                if ("MarkOrderStatus".equals(scheduled.getActivityType().getName())) {
                    statuses.add(text(scheduled.getInput().getPayloads(1)));
                }
            }
        }
        assertTrue(changeIds.contains("\"" + OrderProvisioningWorkflowImpl.COMPENSATION_FAILED_ALERT + "\""),
                changeIds.toString());
        assertEquals(1, activities.stream().filter("AlertOperators"::equals).count(), activities.toString());
        assertEquals("\"" + OrderStatus.COMPENSATION_FAILED.name() + "\"", statuses.get(statuses.size() - 1));
    }

    /** The waiting histories took the versioned branch: the marker, a durable wait, and (when woken) a fresh room. */
    @Test
    void theCapacityWaitHistoriesTakeTheVersionedBranch() throws Exception {
        for (String name : List.of("order-capacity-waited-active", "order-capacity-wait-refunded")) {
            List<String> changeIds = new ArrayList<>();
            List<String> activities = new ArrayList<>();
            int timers = 0;
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("histories/" + name + ".json")) {
                assertNotNull(in, name);
                for (HistoryEvent event : WorkflowExecutionHistory.fromJson(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)).getEvents()) {
                    if (event.hasMarkerRecordedEventAttributes()) {
                        changeIds.add(text(event.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId")
                                .getPayloads(0)));
                    }
                    if (event.hasActivityTaskScheduledEventAttributes()) {
                        activities.add(event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
                    }
                    if (event.hasTimerStartedEventAttributes()) {
                        timers++;
                    }
                }
            }
            assertTrue(changeIds.contains("\"" + OrderProvisioningWorkflowImpl.WAIT_FOR_CAPACITY + "\""),
                    name + ": " + changeIds);
            assertTrue(timers >= 1, name + ": the wait is a durable timer");
            assertEquals(name.endsWith("active") ? 1 : 0, activities.stream().filter("RetakeReservation"::equals).count(),
                    name + ": " + activities);
        }
    }

    /** The provision child's recorded runs use only one-call panel activities: none that looks up and deletes. */
    @Test
    void theProvisionChildHistoriesHoldOnlyOneCallPanelActivities() throws Exception {
        for (String name : List.of("provision-server-installed", "provision-server-install-failed",
                "provision-server-cancelled")) {
            List<String> activities = new ArrayList<>();
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("histories/" + name + ".json")) {
                assertNotNull(in, name);
                for (HistoryEvent event : WorkflowExecutionHistory.fromJson(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)).getEvents()) {
                    if (event.hasActivityTaskScheduledEventAttributes()) {
                        activities.add(event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
                    }
                }
            }
            assertTrue(activities.contains("FindPanelUserByExternalId"), name + ": " + activities);
            assertFalse(activities.contains("EnsurePanelUser") || activities.contains("DeleteServer"),
                    name + ": " + activities);
        }
    }

    /**
     * The batched histories took the versioned branch: the order saw batch signals only (two when the server
     * installed at once: the rest came with the child's result), and the old histories one signal per event.
     */
    @Test
    void theBatchedHistoriesSendFewerProgressSignals() throws Exception {
        assertEquals(Map.of(ProvisionServerWorkflow.PROGRESS_BATCH_SIGNAL, 2L),
                signalsIn("order-progress-batched-active"));
        assertEquals(Map.of(ProvisionServerWorkflow.PROGRESS_SIGNAL, 7L), signalsIn("order-install-signalled"));
        Map<String, Long> cancelled = signalsIn("order-progress-batched-cancelled");
        assertFalse(cancelled.containsKey(ProvisionServerWorkflow.PROGRESS_SIGNAL), cancelled.toString());
        // [done, started] twice, [failed, undoing] before the delete, [compensated] before the child ends.
        assertEquals(4L, cancelled.get(ProvisionServerWorkflow.PROGRESS_BATCH_SIGNAL), cancelled.toString());
    }

    private Map<String, Long> signalsIn(String name) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("histories/" + name + ".json")) {
            assertNotNull(in, name);
            return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getEvents().stream().filter(HistoryEvent::hasWorkflowExecutionSignaledEventAttributes)
                    .map(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
                    .filter(signal -> signal.startsWith("provisionProgress"))
                    .collect(java.util.stream.Collectors.groupingBy(signal -> signal,
                            java.util.stream.Collectors.counting()));
        }
    }

    private static String text(Payload payload) {
        return payload.getData().toStringUtf8();
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
        recordCancelledMidInstall("h-cancel", "order-cancelled-mid-install", null);
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
        try (SagaRig rig = new SagaRig()) {
            rig.panel.install = FakePanel.Install.FAILS;
            rig.panel.deleteFailure = PanelFailures.ACCESS_DENIED;
            assertEquals(OrderStatus.COMPENSATION_FAILED, rig.run(order("h-stuck", PaymentMethod.TKCOINS)).status());
            save(rig, "order:h-stuck", "order-compensation-failed");
        }
        try (SagaRig rig = new SagaRig()) {
            OrderRequest shortPeriod = SagaRig.withLifecycle(order("h-child", PaymentMethod.TKCOINS),
                    new LifecyclePolicy(List.of(0L, 60L), 120, 300, 0, 0, 0, 3_600));
            assertEquals(OrderStatus.ACTIVE, rig.run(shortPeriod).status());
            save(rig, "order:h-child", "order-provision-child-active");
            save(rig, ProvisionServerWorkflow.workflowId("h-child", 1), "provision-server-installed");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.install = FakePanel.Install.FAILS;
            assertEquals(OrderStatus.REFUNDED, rig.run(order("h-child-fail", PaymentMethod.TKCOINS)).status());
            save(rig, "order:h-child-fail", "order-provision-child-install-failed");
            save(rig, ProvisionServerWorkflow.workflowId("h-child-fail", 1), "provision-server-install-failed");
        }
        recordCancelledMidInstall("h-child-cancel", "order-provision-child-cancelled", "provision-server-cancelled");
        try (SagaRig rig = new SagaRig()) {
            OrderRequest reserved = order("h-capacity", PaymentMethod.TKCOINS)
                    .withReservation(new com.admintk.orchestrator.capacity.CapacityReservation("res-h", 1, 1042, 25565));
            assertEquals(OrderStatus.ACTIVE, rig.run(reserved).status());
            save(rig, "order:h-capacity", "order-capacity-reserved-active");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.reserved(OrderSeveralPortsTest.RESERVED);
            rig.panel.takenAllocations.add(1052);
            assertEquals(OrderStatus.ACTIVE,
                    rig.run(OrderSeveralPortsTest.rustOrder("h-ports", OrderSeveralPortsTest.RESERVED)).status());
            save(rig, "order:h-ports", "order-several-ports-repicked");
            save(rig, ProvisionServerWorkflow.workflowId("h-ports", 1), "provision-server-several-ports-repicked");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.soldOut = true;
            OrderRequest reserved = order("h-sold-out", PaymentMethod.CARD)
                    .withReservation(new com.admintk.orchestrator.capacity.CapacityReservation("res-s", 1, 1042, 25565));
            assertEquals(OrderStatus.FAILED, rig.run(reserved).status());
            save(rig, "order:h-sold-out", "order-capacity-sold-out");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.noCapacity = true;
            com.admintk.orchestrator.capacity.CapacityReservation room =
                    new com.admintk.orchestrator.capacity.CapacityReservation("res-w", 1, 1042, 25565);
            rig.capacity.reserved(room);
            rig.start(order("h-wait", PaymentMethod.TKCOINS).withReservation(room)
                    .withWaitForCapacity(new CapacityWait(3_600)));
            eventually(() -> rig.progress("h-wait").status() == OrderStatus.WAITING_FOR_CAPACITY
                    && rig.journal.count("notify.email:WAITING_FOR_CAPACITY") == 1
                    && rig.journal.count("notify.event:WAITING_FOR_CAPACITY") == 1
                    && rig.journal.count("notify.store:WAITING_FOR_CAPACITY") == 1);
            rig.panel.noCapacity = false;
            rig.client.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId("h-wait")).capacityAdded();
            assertEquals(OrderStatus.ACTIVE, rig.resultOf("h-wait").status());
            save(rig, "order:h-wait", "order-capacity-waited-active");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.noCapacity = true;
            com.admintk.orchestrator.capacity.CapacityReservation room =
                    new com.admintk.orchestrator.capacity.CapacityReservation("res-l", 1, 1042, 25565);
            rig.capacity.reserved(room);
            assertEquals(OrderStatus.REFUNDED, rig.run(order("h-wait-late", PaymentMethod.TKCOINS)
                    .withReservation(room).withWaitForCapacity(new CapacityWait(3_600))).status());
            save(rig, "order:h-wait-late", "order-capacity-wait-refunded");
        }
        // server-lifecycle-renewed and server-lifecycle-terminated were recorded before billing (DEFAULT_VERSION of
        // lifecycle-billing: a renewal paid by signal; suspend, unsuspend and terminate only recorded). They are kept
        // as they are; these record the billing version.
        try (SagaRig rig = new SagaRig()) {
            rig.panel.createServer("order:o-h-srv-paid", null, null);
            WorkflowExecution first = startLifecycle(rig, "h-srv-paid",
                    rig.env.currentTimeMillis() + Duration.ofDays(1).toMillis());
            ServerLifecycleWorkflow server = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                    ServerLifecycleWorkflow.workflowId("h-srv-paid"));
            rig.skip(Duration.ofDays(1).plusHours(1));
            eventually(() -> server.state().cycle() == 2);
            // The first run: charged from the wallet, then continued as new with the next renewal date.
            save(rig.client.fetchHistory(first.getWorkflowId(), first.getRunId()), "server-lifecycle-billing-renewed");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.payments.setBalance(SagaRig.CUSTOMER, 0);
            rig.panel.createServer("order:o-h-srv-unpaid", null, null);
            startLifecycle(rig, "h-srv-unpaid", rig.env.currentTimeMillis() + Duration.ofDays(1).toMillis());
            String id = ServerLifecycleWorkflow.workflowId("h-srv-unpaid");
            rig.untyped(id).getResult(Void.class);
            save(rig, id, "server-lifecycle-dunning-terminated");
            save(rig, id + ":suspend:1", "server-suspend");
            save(rig, TerminateServerWorkflow.workflowId("h-srv-unpaid"), "server-terminate");
            save(rig, id + ":suspend:1", "server-suspend-closes-live");
            save(rig, TerminateServerWorkflow.workflowId("h-srv-unpaid"), "server-terminate-closes-live");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.createServer("order:o-h-srv-admin", null, null);
            startLifecycle(rig, "h-srv-admin", rig.env.currentTimeMillis() + Duration.ofDays(30).toMillis());
            ServerLifecycleWorkflow server = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                    ServerLifecycleWorkflow.workflowId("h-srv-admin"));
            server.suspendForAbuse("spam relay");
            eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);
            server.adminUnsuspend("cleared");
            eventually(() -> server.state().status() == ServerLifecycleState.Status.ACTIVE);
            save(rig, ServerLifecycleWorkflow.workflowId("h-srv-admin") + ":unsuspend:2", "server-unsuspend");
        }
        try (SagaRig rig = new SagaRig()) {
            // A plan change whose charge fails (build restored), one that is paid, a reinstall, then a pay now
            // (which continues the run as new: the recorded run is the first one).
            rig.panel.createServer("order:o-h-srv-act", null, null);
            WorkflowExecution first = startLifecycle(rig, "h-srv-act",
                    rig.env.currentTimeMillis() + Duration.ofDays(15).toMillis());
            ServerLifecycleWorkflow server = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                    ServerLifecycleWorkflow.workflowId("h-srv-act"));
            PlanSnapshot bigger = new PlanSnapshot("paper-8g", 1, 5, null, null, Map.of(),
                    new ServerSpec.Limits(8192, 0, 20480, 500, 200), new ServerSpec.FeatureLimits(2, 1, 3), null,
                    List.of(1), List.of(), 1100, 1999, "eur", BillingCycle.MONTHLY);
            rig.payments.setBalance(SagaRig.CUSTOMER, 0);
            server.changePlan(new PlanChangeRequest("c-1", "demo", bigger));
            eventually(() -> rig.journal.count("notify.server:PLAN_CHANGE_FAILED") == 1);
            rig.payments.setBalance(SagaRig.CUSTOMER, 10_000);
            server.changePlan(new PlanChangeRequest("c-2", "demo", bigger));
            eventually(() -> rig.journal.count("notify.server:PLAN_CHANGED") == 1);
            server.reinstall(new ServerActionRequest("r-1", "demo", null));
            rig.skip(Duration.ofMinutes(2));
            eventually(() -> rig.journal.count("notify.server:REINSTALLED") == 1);
            server.renewNow(new ServerActionRequest("p-1", "demo", null));
            eventually(() -> !rig.latestRun(first.getWorkflowId()).getExecution().getRunId().equals(first.getRunId()));
            save(rig.client.fetchHistory(first.getWorkflowId(), first.getRunId()), "server-lifecycle-actions");
            save(rig, ChangeServerBuildWorkflow.workflowId("h-srv-act", "c-1"), "server-change-build-restored");
            save(rig, ChangeServerBuildWorkflow.workflowId("h-srv-act", "c-2"), "server-change-build");
            save(rig, ReinstallServerWorkflow.workflowId("h-srv-act", "r-1"), "server-reinstall");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.pollsUntilInstallEnds = 1;
            rig.start(SagaRig.withOptions(order("h-signal", PaymentMethod.TKCOINS), new OrderOptions(600, 60, 60, 0)));
            eventually(() -> rig.installWatch.watching.size() == 1);
            rig.untyped(ProvisionServerWorkflow.workflowId("h-signal", 1)).signal(ProvisionServerWorkflow.INSTALL_SIGNAL);
            assertEquals(OrderStatus.ACTIVE, rig.resultOf("h-signal").status());
            save(rig, "order:h-signal", "order-install-signalled");
            save(rig, ProvisionServerWorkflow.workflowId("h-signal", 1), "provision-server-install-signalled");
        }
        try (SagaRig rig = new SagaRig()) {
            assertEquals(OrderStatus.ACTIVE, rig.run(order("h-watch-poll", PaymentMethod.TKCOINS)).status());
            assertEquals(1, rig.journal.count("watch.end:"));
            save(rig, ProvisionServerWorkflow.workflowId("h-watch-poll", 1), "provision-server-install-polled");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.pollsUntilInstallEnds = 1;
            rig.start(SagaRig.withOptions(order("h-batch", PaymentMethod.TKCOINS), new OrderOptions(600, 60, 60, 0)));
            rig.awaitInstallWait("h-batch");
            rig.untyped(ProvisionServerWorkflow.workflowId("h-batch", 1)).signal(ProvisionServerWorkflow.INSTALL_SIGNAL);
            assertEquals(OrderStatus.ACTIVE, rig.resultOf("h-batch").status());
            save(rig, "order:h-batch", "order-progress-batched-active");
            save(rig, ProvisionServerWorkflow.workflowId("h-batch", 1), "provision-server-progress-batched");
        }
        try (SagaRig rig = new SagaRig()) {
            rig.panel.pollsUntilInstallEnds = 1;
            rig.start(SagaRig.withOptions(order("h-local", PaymentMethod.TKCOINS), new OrderOptions(600, 60, 60, 0))
                    .withReservation(new com.admintk.orchestrator.capacity.CapacityReservation("res-h-local", 1, 1042,
                            25565)));
            rig.awaitInstallWait("h-local");
            rig.untyped(ProvisionServerWorkflow.workflowId("h-local", 1)).signal(ProvisionServerWorkflow.INSTALL_SIGNAL);
            assertEquals(OrderStatus.ACTIVE, rig.resultOf("h-local").status());
            save(rig, "order:h-local", "order-local-steps-active");
            save(rig, ProvisionServerWorkflow.workflowId("h-local", 1), "provision-server-local-steps");
        }
        recordCancelledMidInstall("h-batch-cancel", "order-progress-batched-cancelled",
                "provision-server-progress-batched-cancelled");
        try (ReconciliationRig rig = new ReconciliationRig()) {
            rig.store.policy = new ReconciliationPolicy(true, 600, true, true, 3600, 1800);
            rig.panel.createdAtMillis = rig.env.currentTimeMillis() - Duration.ofDays(2).toMillis();
            rig.panel.put(1, "order:h-susp", false, ReconciliationRig.PLAN);
            rig.panel.put(2, "order:h-run", true, ReconciliationRig.PLAN);
            rig.panel.put(3, "order:h-shrunk", false, new ServerSpec.Limits(1024, 0, 20480, 500, 200));
            rig.panel.put(4, "order:h-ghost", false, ReconciliationRig.PLAN);
            rig.store.put("srv-h-susp", "order:h-susp", "SUSPENDED");
            rig.store.put("srv-h-run", "order:h-run", "ACTIVE");
            rig.store.put("srv-h-shrunk", "order:h-shrunk", "ACTIVE");
            WorkflowExecution first = rig.start();
            ReconciliationRig.eventually(() -> rig.store.reports.size() == 1);
            rig.env.sleep(Duration.ofMinutes(11));
            ReconciliationRig.eventually(() -> rig.store.reports.size() == 2);
            save(rig.client.fetchHistory(first.getWorkflowId(), first.getRunId()), "reconciliation-pass");
        }
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
            FakeNotifications notifications = new FakeNotifications(new Journal());
            env.newWorker(TaskQueues.ORCHESTRATION).registerWorkflowImplementationTypes(
                    ServerResourceAlertWorkflowImpl.class);
            env.newWorker(TaskQueues.NOTIFICATIONS).registerActivitiesImplementations(notifications);
            env.start();
            ServerResourceAlert alert = new ServerResourceAlert("srv-h-hot", SagaRig.CUSTOMER, "demo@example.test",
                    "Hot server", ServerResourceAlert.CPU, 187.4, 90, 1_700_000_000_000L, 300);
            String id = ServerResourceAlertWorkflow.workflowId(alert.serverId(), alert.resource(), alert.sinceMillis());
            env.getWorkflowClient().newWorkflowStub(ServerResourceAlertWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId(id).setTaskQueue(TaskQueues.ORCHESTRATION).build()).tellCustomer(alert);
            assertEquals(1, notifications.serverEvents.size());
            save(env.getWorkflowClient().fetchHistory(id), "server-resource-alert");
        }
        try (TopUpRig rig = new TopUpRig()) {
            rig.customerPays(rig.startAndAwaitCustomer(TopUpRig.request("top_h", 500)), 1);
            assertEquals(TopUpStatus.CREDITED, rig.resultOf("top_h").status());
            save(rig.client.fetchHistory(TopUpIds.workflowId("top_h")), "topup-card-credited");
        }
    }

    /** An order cancelled while its server installs; the provision child's history too when {@code childName} is set. */
    private static void recordCancelledMidInstall(String orderId, String orderName, String childName) throws IOException {
        try (SagaRig rig = new SagaRig()) {
            rig.panel.install = FakePanel.Install.NEVER_FINISHES;
            OrderProvisioningWorkflow order = rig.start(order(orderId, PaymentMethod.TKCOINS));
            rig.awaitInstallWait(orderId);
            order.cancel("changed my mind");
            // Settled before time may skip: see OrderProvisioningWorkflowTest#awaitSettledWithTimeLocked.
            eventually(() -> rig.store.statusWrites().stream().anyMatch(w -> w.status() == OrderStatus.CANCELLED));
            assertEquals(OrderStatus.CANCELLED, rig.resultOf(orderId).status());
            save(rig, "order:" + orderId, orderName);
            if (childName != null) {
                save(rig, ProvisionServerWorkflow.workflowId(orderId, 1), childName);
            }
        }
    }

    private static WorkflowExecution startLifecycle(SagaRig rig, String serverId, long renewsAt) {
        ServerLifecycleWorkflow stub = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(ServerLifecycleWorkflow.workflowId(serverId))
                        .setTaskQueue(TaskQueues.ORCHESTRATION).build());
        return WorkflowClient.start(stub::run, new ServerLifecycleInput(serverId, "o-" + serverId, SagaRig.CUSTOMER,
                "paper-4g", 101, "order:o-" + serverId, BillingCycle.MONTHLY, PaymentMethod.TKCOINS, 500, 0, null,
                renewsAt, null, null, 1));
    }

    private static void save(SagaRig rig, String workflowId, String name) throws IOException {
        save(rig.client.fetchHistory(workflowId), name);
    }

    /** Writes a missing history; an existing one only with -Dhistories.overwrite=true. */
    private static void save(WorkflowExecutionHistory history, String name) throws IOException {
        Path file = DIR.resolve(name + ".json");
        if (Files.exists(file) && !Boolean.getBoolean("histories.overwrite")) {
            return;
        }
        Files.writeString(file, history.toJson(true), StandardCharsets.UTF_8);
    }
}
