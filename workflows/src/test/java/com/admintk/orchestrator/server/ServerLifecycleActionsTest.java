package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.notification.OperatorAlert;
import com.admintk.orchestrator.notification.ServerNotification;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.OrderFailures;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle's requests (Updates): pay now, plan change and reinstall, on the time-skipping test server with the
 * fake panel, payments, store and email. A billing period is 30 days here, so prorations are exact halves.
 */
class ServerLifecycleActionsTest {

    private static final String SERVER = "srv-1";
    private static final String ID = ServerLifecycleWorkflow.workflowId(SERVER);
    private static final long PRICE = 500;
    private static final LifecyclePolicy POLICY = new LifecyclePolicy(
            List.of(0L, Duration.ofDays(3).toSeconds(), Duration.ofDays(5).toSeconds()),
            Duration.ofDays(7).toSeconds(), Duration.ofDays(1).toSeconds(), Duration.ofMinutes(30).toSeconds(),
            Duration.ofMinutes(1).toSeconds(), 50, Duration.ofDays(30).toSeconds());

    private final SagaRig rig = new SagaRig();
    private final PanelServerRef panelServer = rig.panel.createServer("order:o-1", null, null);
    private WorkflowExecution firstRun;

    @AfterEach
    void close() {
        rig.close();
    }

    private ServerLifecycleWorkflow start(PaymentMethod method, long renewsAt) {
        ServerLifecycleWorkflow stub = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(ID).setTaskQueue(TaskQueues.ORCHESTRATION).build());
        firstRun = WorkflowClient.start(stub::run, new ServerLifecycleInput(SERVER, "o-1", SagaRig.CUSTOMER,
                "paper-4g", panelServer.id(), "order:o-1", BillingCycle.MONTHLY, method, PRICE, 999, "eur", renewsAt,
                ServerLifecycleState.Status.ACTIVE, null, 1).withContact("demo@admin-tk.local", "My Paper server")
                .withPolicy(POLICY));
        ServerLifecycleWorkflow server = lifecycle();
        eventually(() -> server.state().serverId() != null);
        return server;
    }

    private ServerLifecycleWorkflow lifecycle() {
        return rig.client.newWorkflowStub(ServerLifecycleWorkflow.class, ID);
    }

    private static PlanSnapshot plan(String planId, int memory, long coins, long amountMinor, int eggId) {
        return new PlanSnapshot(planId, 1, eggId, null, null, Map.of("MAX_PLAYERS", "40"),
                new ServerSpec.Limits(memory, 0, 20480, 500, 200), new ServerSpec.FeatureLimits(2, 1, 3), null,
                List.of(1), List.of(), coins, amountMinor, "eur", BillingCycle.MONTHLY);
    }

    private static PlanChangeRequest change(String requestId, PlanSnapshot plan) {
        return new PlanChangeRequest(requestId, "demo@admin-tk.local", plan);
    }

    private static ServerActionRequest request(String requestId) {
        return new ServerActionRequest(requestId, "demo@admin-tk.local", null);
    }

    private long inDays(int days) {
        return rig.env.currentTimeMillis() + Duration.ofDays(days).toMillis();
    }

    private long serverEvents(String event) {
        return rig.notifications.serverEvents.stream().filter(n -> event.equals(n.event())).count();
    }

    private long panelCalls(String call) {
        return rig.journal.count("panel." + call + ":" + panelServer.id());
    }

    private List<String> buildPatches() {
        return rig.journal.entries().stream().filter(e -> e.startsWith("panel.updateBuild:")).toList();
    }

    private String latestRunId() {
        return rig.latestRun(ID).getExecution().getRunId();
    }

    /** Waits for a run newer than {@code runId}, through the test server's describe (no query across the switch). */
    private void awaitRunAfter(String runId) {
        eventually(() -> !latestRunId().equals(runId) && rig.running(ID));
    }

    private static String refusal(Executable update) {
        WorkflowUpdateException refused = assertThrows(WorkflowUpdateException.class, update);
        return ServerActionRefusals.codeOf(refused);
    }

    // ---- plan change ---------------------------------------------------------------------------------------------

    @Test
    void aPlanChangeWhoseChargeFailsPutsTheOldBuildBack() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(15));
        rig.payments.setBalance(SagaRig.CUSTOMER, 0);

        ServerActionAccepted accepted = server.changePlan(change("c-1", plan("paper-8g", 8192, 1100, 1999, 5)));

        assertEquals(new ServerActionAccepted("change-plan", ChangeServerBuildWorkflow.workflowId(SERVER, "c-1"),
                false), accepted);
        eventually(() -> serverEvents(ServerNotification.PLAN_CHANGE_FAILED) == 1);
        int id = panelServer.id();
        assertEquals(List.of("panel.updateBuild:" + id + ":8192", "panel.updateBuild:" + id + ":4096"),
                buildPatches(), "patched to the new plan, then put back");
        assertEquals(4096, rig.panel.buildOf(id).limits().memory());
        assertEquals(0, panelCalls("updateStartup"), "same egg: the startup is left alone");
        assertEquals(0, rig.payments.debitCount());
        assertNull(rig.store.serverPlan(SERVER), "the record keeps its plan");
        assertEquals(0, serverEvents(ServerNotification.PLAN_CHANGED));
        assertTrue(server.state().reason().contains("not paid"), server.state().reason());

        // The next renewal still charges the old price.
        rig.payments.setBalance(SagaRig.CUSTOMER, 10_000);
        rig.skip(Duration.ofDays(16));
        awaitRunAfter(firstRun.getRunId());
        assertEquals(10_000 - PRICE, rig.payments.balance(SagaRig.CUSTOMER));
    }

    @Test
    void anUpgradeIsChargedProratedAndTheNextRenewalChargesTheNewPrice() {
        long renewsAt = inDays(15);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);

        server.changePlan(change("c-2", plan("paper-8g", 8192, 1100, 1999, 5)));

        eventually(() -> serverEvents(ServerNotification.PLAN_CHANGED) == 1);
        long charged = 10_000 - rig.payments.balance(SagaRig.CUSTOMER);
        // (1100 - 500) × 15 of 30 days, rounded down: the few milliseconds that passed are the customer's.
        assertTrue(charged == 300 || charged == 299, "prorated charge: " + charged);
        assertTrue(rig.payments.debits().containsKey(PaymentIds.debitKey(PaymentIds.forPlanChange(SERVER, "c-2"))));
        assertEquals(List.of("panel.updateBuild:" + panelServer.id() + ":8192"), buildPatches());
        assertEquals(8192, rig.panel.buildOf(panelServer.id()).limits().memory());
        ServerPlanChange recorded = rig.store.serverPlan(SERVER);
        assertEquals("paper-8g", recorded.planId());
        assertEquals(1100, recorded.priceCoins());
        assertTrue(server.state().history().stream().anyMatch(t -> t.reason().contains("to paper-8g")));

        long before = rig.payments.balance(SagaRig.CUSTOMER);
        rig.skip(Duration.ofDays(16));
        awaitRunAfter(firstRun.getRunId());
        assertEquals(1100, before - rig.payments.balance(SagaRig.CUSTOMER), "the renewal charges the new price");
        assertEquals(renewsAt + Duration.ofDays(30).toMillis(), server.state().renewsAtMillis());
    }

    @Test
    void aDowngradeIsCreditedToTheWalletAndAnotherEggGetsItsStartup() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(15));

        server.changePlan(change("c-3", plan("vanilla-2g", 2048, 200, 499, 6)));

        eventually(() -> serverEvents(ServerNotification.PLAN_CHANGED) == 1);
        // (500 - 200) × 15 of 30 days, rounded up.
        assertEquals(150, rig.payments.credits()
                .get(PaymentIds.creditKey(ChangeServerBuildWorkflow.workflowId(SERVER, "c-3"))).coins());
        assertEquals(10_150, rig.payments.balance(SagaRig.CUSTOMER));
        assertEquals(0, rig.payments.debitCount());
        assertEquals(2048, rig.panel.buildOf(panelServer.id()).limits().memory());
        assertEquals(1, rig.journal.count("panel.updateStartup:" + panelServer.id() + ":6"));
        assertEquals(6, rig.panel.startupOf(panelServer.id()).eggId());
        assertEquals("vanilla-2g", rig.store.serverPlan(SERVER).planId());
    }

    // ---- reinstall -----------------------------------------------------------------------------------------------

    @Test
    void aSecondReinstallWhileOneRunsJoinsTheRunningOne() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(30));
        rig.panel.pollsUntilInstallEnds = 3;

        ServerActionAccepted first = server.reinstall(request("r-1"));
        ServerActionAccepted second = server.reinstall(request("r-2"));
        ServerActionAccepted firstAgain = server.reinstall(request("r-1"));

        assertEquals(new ServerActionAccepted("reinstall", ReinstallServerWorkflow.workflowId(SERVER, "r-1"), false),
                first);
        assertEquals(new ServerActionAccepted("reinstall", first.workflowId(), true), second);
        assertEquals(first, firstAgain);
        rig.skip(Duration.ofMinutes(5));
        eventually(() -> serverEvents(ServerNotification.REINSTALLED) == 1);
        assertEquals(1, panelCalls("reinstallServer"));
        assertTrue(rig.notifications.alerts.isEmpty());

        // Once it has ended, a new request starts a new reinstall.
        ServerActionAccepted later = server.reinstall(request("r-3"));
        assertFalse(later.alreadyRunning());
        assertEquals(ReinstallServerWorkflow.workflowId(SERVER, "r-3"), later.workflowId());
    }

    @Test
    void aReinstallPastTheInstallDeadlineAlertsTheOperatorsAndTellsTheCustomer() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(30));
        rig.panel.install = FakePanel.Install.NEVER_FINISHES;

        server.reinstall(request("r-1"));
        rig.skip(Duration.ofMinutes(20));

        eventually(() -> serverEvents(ServerNotification.REINSTALL_FAILED) == 1);
        assertEquals(1, rig.notifications.alerts.size());
        OperatorAlert alert = rig.notifications.alerts.get(0);
        assertEquals(OperatorAlert.SERVER_ACTION_FAILED, alert.kind());
        assertTrue(alert.problems().get(0).contains(OrderFailures.INSTALL_DEADLINE), alert.problems().toString());
        assertEquals(1, panelCalls("reinstallServer"));
        assertEquals(0, serverEvents(ServerNotification.REINSTALLED));
        assertEquals(ServerLifecycleState.Status.ACTIVE, server.state().status());
    }

    // ---- pay now -------------------------------------------------------------------------------------------------

    @Test
    void payingNowLiftsASuspensionForNonPayment() {
        rig.payments.setBalance(SagaRig.CUSTOMER, 0);
        long renewsAt = inDays(1);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);
        rig.skip(Duration.ofDays(7));
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);
        assertEquals(SuspensionReason.NON_PAYMENT, server.state().suspension());
        rig.payments.setBalance(SagaRig.CUSTOMER, 10_000);

        ServerActionAccepted accepted = server.renewNow(request("p-1"));

        assertEquals(new ServerActionAccepted("renew", PaymentIds.workflowId(PaymentIds.forPayNow(SERVER, "p-1")),
                false), accepted);
        awaitRunAfter(firstRun.getRunId());
        ServerLifecycleState paid = server.state();
        assertEquals(ServerLifecycleState.Status.ACTIVE, paid.status());
        assertNull(paid.suspension());
        assertEquals(renewsAt + Duration.ofDays(30).toMillis(), paid.renewsAtMillis());
        assertEquals(0, paid.failedChargeAttempts());
        assertEquals(1, panelCalls("unsuspendServer"));
        assertFalse(rig.panel.isSuspended(panelServer.id()));
        assertEquals(10_000 - PRICE, rig.payments.balance(SagaRig.CUSTOMER));
        assertEquals(1, serverEvents(ServerNotification.RENEWED));
    }

    @Test
    void payingNowNeverLiftsAnOperatorsSuspension() {
        long renewsAt = inDays(30);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);
        server.adminSuspend("chargeback under review");
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);

        server.renewNow(request("p-2"));

        awaitRunAfter(firstRun.getRunId());
        ServerLifecycleState state = server.state();
        assertEquals(ServerLifecycleState.Status.SUSPENDED, state.status());
        assertEquals(SuspensionReason.ADMIN, state.suspension());
        assertEquals(renewsAt + Duration.ofDays(30).toMillis(), state.renewsAtMillis());
        assertEquals(0, panelCalls("unsuspendServer"));
        assertTrue(rig.panel.isSuspended(panelServer.id()));
        assertEquals(1, serverEvents(ServerNotification.RENEWED));
    }

    @Test
    void theSameRenewRequestBeforeAndAfterContinueAsNewChargesOnce() {
        long renewsAt = inDays(30);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);

        ServerActionAccepted first = server.renewNow(request("p-3"));
        awaitRunAfter(firstRun.getRunId());
        String secondRun = latestRunId();
        ServerActionAccepted again = server.renewNow(request("p-3"));

        assertEquals(first, again);
        assertEquals(1, rig.payments.debitCount());
        assertEquals(2, server.state().cycle());

        // Another request is another payment: the memory holds answers, it does not swallow requests.
        server.renewNow(request("p-4"));
        awaitRunAfter(secondRun);
        assertEquals(2, rig.payments.debitCount());
        assertEquals(10_000 - 2 * PRICE, rig.payments.balance(SagaRig.CUSTOMER));
        assertEquals(renewsAt + Duration.ofDays(60).toMillis(), server.state().renewsAtMillis());
    }

    @Test
    void aPayNowThatIsNotPaidTellsTheCustomerAndChangesNothing() {
        long renewsAt = inDays(30);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);
        rig.payments.setBalance(SagaRig.CUSTOMER, 10);

        server.renewNow(request("p-5"));

        eventually(() -> serverEvents(ServerNotification.PAY_NOW_FAILED) == 1);
        ServerLifecycleState state = server.state();
        assertEquals(1, state.cycle());
        assertEquals(ServerLifecycleState.Status.ACTIVE, state.status());
        assertEquals(renewsAt, state.renewsAtMillis());
        assertEquals(0, serverEvents(ServerNotification.RENEWED));
    }

    // ---- refusals ------------------------------------------------------------------------------------------------

    @Test
    void malformedRequestsAndTheCurrentPlanAreRefused() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(30));

        assertEquals(ServerActionRefusals.INVALID_REQUEST, refusal(() -> server.renewNow(request(" "))));
        assertEquals(ServerActionRefusals.INVALID_REQUEST, refusal(() -> server.reinstall(request(null))));
        assertEquals(ServerActionRefusals.INVALID_REQUEST, refusal(() -> server.changePlan(change("c-1", null))));
        assertEquals(ServerActionRefusals.PLAN_UNCHANGED,
                refusal(() -> server.changePlan(change("c-2", plan("paper-4g", 8192, 1100, 1999, 5)))));
        assertEquals(0, rig.journal.count("panel.updateBuild:") + rig.payments.debitCount());
    }

    @Test
    void aSuspendedServerTakesNoPlanChangeOrReinstall() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(30));
        server.suspendForAbuse("phishing");
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);

        assertEquals(ServerActionRefusals.SERVER_SUSPENDED,
                refusal(() -> server.changePlan(change("c-1", plan("paper-8g", 8192, 1100, 1999, 5)))));
        assertEquals(ServerActionRefusals.SERVER_SUSPENDED, refusal(() -> server.reinstall(request("r-1"))));
        assertEquals(0, panelCalls("reinstallServer"));
    }

    @Test
    void aRunningPlanChangeMakesTheServerBusy() {
        // A card upgrade waits for the customer's payment: the change stays under way.
        ServerLifecycleWorkflow server = start(PaymentMethod.CARD, inDays(15));
        ServerActionAccepted first = server.changePlan(change("c-1", plan("paper-8g", 8192, 1100, 1999, 5)));
        eventually(() -> rig.journal.count("payments.createCardPayment:") == 1);

        assertEquals(ServerActionRefusals.SERVER_BUSY, refusal(() -> server.reinstall(request("r-1"))));
        assertEquals(ServerActionRefusals.SERVER_BUSY,
                refusal(() -> server.changePlan(change("c-2", plan("paper-16g", 16384, 2100, 3999, 5)))));
        assertEquals(first, server.changePlan(change("c-1", plan("paper-8g", 8192, 1100, 1999, 5))),
                "the same request again is answered, not refused");
        assertEquals(1, buildPatches().size());
    }

    @Test
    void aServerBeingTerminatedTakesNoRequest() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(30));
        rig.panel.nodeUnreachable = true;
        server.adminTerminate("customer left");
        eventually(() -> panelCalls("removeServer") >= 1);

        assertEquals(ServerActionRefusals.SERVER_TERMINATED, refusal(() -> server.renewNow(request("p-1"))));
        assertEquals(ServerActionRefusals.SERVER_TERMINATED,
                refusal(() -> server.changePlan(change("c-1", plan("paper-8g", 8192, 1100, 1999, 5)))));
        assertEquals(ServerActionRefusals.SERVER_TERMINATED, refusal(() -> server.reinstall(request("r-1"))));
        assertEquals(0, rig.payments.debitCount());
    }
}
