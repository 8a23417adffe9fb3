package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.OrderIds;
import com.admintk.orchestrator.order.OrderOptions;
import com.admintk.orchestrator.order.OrderProvisioningWorkflow;
import com.admintk.orchestrator.order.OrderResult;
import com.admintk.orchestrator.order.OrderStatus;
import com.admintk.orchestrator.order.StepRecord;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.SagaRig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The install wait woken by the install watcher's signal, on the time-skipping test server: a signal ends the wait
 * long before the first poll would have, and without one the polling still gets there. The poll interval is a
 * minute of workflow time, so "before the first poll" is a fact of the timeline, not of a clock.
 */
class InstallSignalWorkflowTest {

    private static final long POLL_SECONDS = 60;
    private static final OrderOptions SLOW_POLLING = new OrderOptions(600, POLL_SECONDS, POLL_SECONDS, 0);

    private final SagaRig rig = new SagaRig();

    @AfterEach
    void close() {
        rig.close();
    }

    /** Starts the order and waits (in real time: time does not skip meanwhile) until its server is watched. */
    private Map.Entry<Integer, String> startWatched(String orderId) {
        rig.panel.pollsUntilInstallEnds = 1;
        rig.start(SagaRig.withOptions(order(orderId, PaymentMethod.TKCOINS), SLOW_POLLING));
        eventually(() -> rig.installWatch.watching.size() == 1);
        rig.awaitInstallWait(orderId);
        return rig.installWatch.watching.entrySet().iterator().next();
    }

    private void signal(String workflowId) {
        rig.untyped(workflowId).signal(ProvisionServerWorkflow.INSTALL_SIGNAL);
    }

    private StepRecord awaitInstalledStep(String orderId) {
        return rig.progress(orderId).timeline().stream()
                .filter(step -> ProvisionServerWorkflow.STEP_AWAIT_INSTALLED.equals(step.name())).findFirst()
                .orElseThrow();
    }

    private static long millis(StepRecord step) {
        return step.finishedAt() - step.startedAt();
    }

    @Test
    void theSignalEndsTheWaitWithOneProbeBeforeTheFirstPoll() {
        Map.Entry<Integer, String> watch = startWatched("o-signal");
        assertEquals(ProvisionServerWorkflow.workflowId("o-signal", 1), watch.getValue());

        signal(watch.getValue());
        OrderResult result = rig.resultOf("o-signal");

        assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
        assertEquals(1, rig.journal.count("panel.getServer:"), rig.journal.entries().toString());
        StepRecord wait = awaitInstalledStep("o-signal");
        assertTrue(millis(wait) < POLL_SECONDS * 1000, "ended before the first poll: " + wait);
        assertEquals(0, rig.journal.count("watch.end:"), "the watcher dropped its entry when it signalled");
    }

    @Test
    void withoutASignalThePollingStillCompletesAndTakesTheServerOffTheList() {
        Map.Entry<Integer, String> watch = startWatched("o-poll");

        OrderResult result = rig.resultOf("o-poll");

        assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
        assertEquals(1, rig.journal.count("panel.getServer:"));
        assertTrue(millis(awaitInstalledStep("o-poll")) >= POLL_SECONDS * 1000);
        assertEquals(1, rig.journal.count("watch.end:" + watch.getKey() + ":poll"), rig.journal.entries().toString());
        assertTrue(rig.installWatch.watching.isEmpty());
    }

    @Test
    void aSignalledFailedInstallFailsAtOnceAndIsRefunded() {
        rig.panel.install = FakePanel.Install.FAILS;
        Map.Entry<Integer, String> watch = startWatched("o-signal-fail");

        signal(watch.getValue());
        OrderResult result = rig.resultOf("o-signal-fail");

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertEquals(1, rig.journal.count("panel.getServer:"));
        assertTrue(millis(awaitInstalledStep("o-signal-fail")) < POLL_SECONDS * 1000);
        assertEquals(1, rig.journal.count("panel.removeServer:"), rig.journal.entries().toString());
    }

    @Test
    void aSignalThePanelDoesNotConfirmYetLeavesThePollingToFinish() {
        Map.Entry<Integer, String> watch = startWatched("o-early");
        rig.panel.pollsUntilInstallEnds = 2;

        signal(watch.getValue());
        eventually(() -> rig.journal.count("panel.getServer:") == 1);
        OrderResult result = rig.resultOf("o-early");

        assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
        assertEquals(2, rig.journal.count("panel.getServer:"));
        assertTrue(millis(awaitInstalledStep("o-early")) >= POLL_SECONDS * 1000);
        assertEquals(1, rig.journal.count("watch.end:" + watch.getKey() + ":poll"));
    }

    @Test
    void aCancelledOrderTakesItsServerOffTheList() {
        Map.Entry<Integer, String> watch = startWatched("o-cancel-watch");
        rig.panel.install = FakePanel.Install.NEVER_FINISHES;

        rig.client.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId("o-cancel-watch"))
                .cancel("changed my mind");
        // settled before time may skip (the poll timer is still set)
        eventually(() -> rig.store.statusWrites().stream().anyMatch(w -> w.status() == OrderStatus.CANCELLED));
        OrderResult result = rig.resultOf("o-cancel-watch");

        assertEquals(OrderStatus.CANCELLED, result.status(), result.reason());
        assertEquals(1, rig.journal.count("watch.end:" + watch.getKey() + ":other"), rig.journal.entries().toString());
        assertTrue(rig.installWatch.watching.isEmpty());
    }

    @Test
    void withInstallEventsOffOrTheWatchListDownTheOrderOnlyPolls() {
        rig.installWatch.enabled = false;
        rig.panel.pollsUntilInstallEnds = 1;
        OrderResult off = rig.run(SagaRig.withOptions(order("o-off", PaymentMethod.TKCOINS), SLOW_POLLING));
        assertEquals(OrderStatus.ACTIVE, off.status(), off.reason());
        assertTrue(millis(awaitInstalledStep("o-off")) >= POLL_SECONDS * 1000);

        rig.installWatch.enabled = true;
        rig.installWatch.redisDown = true;
        OrderResult down = rig.run(SagaRig.withOptions(order("o-down", PaymentMethod.TKCOINS), SLOW_POLLING));
        assertEquals(OrderStatus.ACTIVE, down.status(), down.reason());

        assertEquals(0, rig.journal.count("watch.install:"));
        assertEquals(0, rig.journal.count("watch.end:"), "nothing listed, nothing to take off");
    }
}
