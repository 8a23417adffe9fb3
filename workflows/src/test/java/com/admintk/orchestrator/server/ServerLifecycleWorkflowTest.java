package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.notification.ServerNotification;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.payment.CardPaymentEvent;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentStatus;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's entity workflow on the time-skipping test server, with fake panel, payments, store and email. */
class ServerLifecycleWorkflowTest {

    private static final String SERVER = "srv-1";
    private static final long PRICE = 500;
    /** Day 0, 3 and 5 after the renewal date, then 7 days of grace. */
    private static final LifecyclePolicy POLICY = new LifecyclePolicy(
            List.of(0L, Duration.ofDays(3).toSeconds(), Duration.ofDays(5).toSeconds()),
            Duration.ofDays(7).toSeconds(), Duration.ofDays(1).toSeconds(), Duration.ofMinutes(30).toSeconds(),
            Duration.ofMinutes(1).toSeconds(), 50);

    private final SagaRig rig = new SagaRig();
    private final PanelServerRef panelServer = rig.panel.createServer("order:o-1", null, null);
    private WorkflowExecution firstRun;

    @AfterEach
    void close() {
        rig.close();
    }

    private ServerLifecycleWorkflow start(PaymentMethod method, long renewsAt) {
        return start(method, renewsAt, POLICY);
    }

    private ServerLifecycleWorkflow start(PaymentMethod method, long renewsAt, LifecyclePolicy policy) {
        ServerLifecycleWorkflow stub = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(ServerLifecycleWorkflow.workflowId(SERVER))
                        .setTaskQueue(TaskQueues.ORCHESTRATION).build());
        firstRun = WorkflowClient.start(stub::run, new ServerLifecycleInput(SERVER, "o-1", SagaRig.CUSTOMER,
                "paper-4g", panelServer.id(), "order:o-1", BillingCycle.MONTHLY, method, PRICE, 999, "eur", renewsAt,
                ServerLifecycleState.Status.ACTIVE, null, 1).withContact("demo@admin-tk.local", "My Paper server")
                .withPolicy(policy));
        ServerLifecycleWorkflow server = lifecycle();
        eventually(() -> server.state().serverId() != null);
        return server;
    }

    private ServerLifecycleWorkflow lifecycle() {
        return rig.client.newWorkflowStub(ServerLifecycleWorkflow.class, ServerLifecycleWorkflow.workflowId(SERVER));
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

    private void awaitEnd() {
        rig.untyped(ServerLifecycleWorkflow.workflowId(SERVER)).getResult(Void.class);
    }

    @Test
    void aYearOfMonthlyRenewalsFromTheWalletRunsOneShortRunPerCycle() {
        long renewsAt = inDays(30);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);

        rig.skip(Duration.ofDays(370));
        eventually(() -> server.state().cycle() == 13);

        long expected = renewsAt;
        for (int i = 0; i < 12; i++) {
            expected = BillingCycle.MONTHLY.nextRenewal(expected);
        }
        ServerLifecycleState state = server.state();
        assertEquals(ServerLifecycleState.Status.ACTIVE, state.status());
        assertEquals(expected, state.renewsAtMillis());
        assertEquals(12, rig.payments.debitCount());
        assertEquals(10_000 - 12 * PRICE, rig.payments.balance(SagaRig.CUSTOMER));
        assertEquals(12, serverEvents(ServerNotification.RENEWED));
        assertEquals(0, serverEvents(ServerNotification.PAYMENT_FAILED));
        assertEquals(0, panelCalls("suspendServer") + panelCalls("removeServer"), rig.journal.entries().toString());
        assertEquals(expected, rig.store.serverStatus(SERVER).renewsAtMillis());

        List<Integer> runLengths = runLengths();
        assertEquals(13, runLengths.size(), "one run per cycle: " + runLengths);
        assertTrue(runLengths.stream().allMatch(n -> n < 60), "each run's history stays short: " + runLengths);
        // The history the query shows survives the runs: delivery, then twelve renewals.
        assertEquals(13, state.history().size());
    }

    @Test
    void periodsShorterThanADayAreEachChargedEvenWhenSeveralEndOnOneDay() {
        // The local stack and the end-to-end tests bill by the minute: the day alone would name one payment twice,
        // and the ledger would answer the first debit instead of charging the second period.
        LifecyclePolicy hourly = new LifecyclePolicy(POLICY.dunningOffsetsSeconds(), POLICY.gracePeriodSeconds(),
                POLICY.renewalCardDeadlineSeconds(), POLICY.forceDeleteAfterSeconds(), POLICY.nodeRecheckSeconds(),
                POLICY.historyLimit(), Duration.ofHours(1).toSeconds());
        rig.payments.setBalance(SagaRig.CUSTOMER, 3 * PRICE);
        long renewsAt = rig.env.currentTimeMillis() + Duration.ofHours(1).toMillis();
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt, hourly);

        rig.skip(Duration.ofMinutes(3 * 60 + 30));
        eventually(() -> server.state().cycle() == 4);

        ServerLifecycleState state = server.state();
        assertEquals(ServerLifecycleState.Status.ACTIVE, state.status());
        assertEquals(renewsAt + Duration.ofHours(3).toMillis(), state.renewsAtMillis());
        assertEquals(3, rig.payments.debitCount(), "three periods, three debits: " + rig.payments.debits().keySet());
        assertEquals(0, rig.payments.balance(SagaRig.CUSTOMER));
        assertEquals(3, serverEvents(ServerNotification.RENEWED));
    }

    @Test
    void dunningSuspendsForNonPaymentAndAPaymentUnsuspends() {
        rig.payments.setBalance(SagaRig.CUSTOMER, 0);
        long renewsAt = inDays(1);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);

        rig.skip(Duration.ofDays(1).plusHours(1));
        eventually(() -> server.state().failedChargeAttempts() == 1);
        ServerLifecycleState pastDue = server.state();
        assertEquals(ServerLifecycleState.Status.PAST_DUE, pastDue.status());
        assertEquals(renewsAt + Duration.ofDays(3).toMillis(), pastDue.nextAttemptAtMillis());

        rig.skip(Duration.ofDays(5));
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);
        ServerLifecycleState suspended = server.state();
        assertEquals(SuspensionReason.NON_PAYMENT, suspended.suspension());
        assertEquals(3, rig.journal.count("payments.debit:"), "day 0, 3 and 5");
        assertEquals(3, serverEvents(ServerNotification.PAYMENT_FAILED));
        assertEquals(1, panelCalls("suspendServer"));
        assertTrue(rig.panel.isSuspended(panelServer.id()));
        eventually(() -> serverEvents(ServerNotification.SUSPENDED) == 1);
        assertEquals("SUSPENDED", rig.store.serverStatus(SERVER).status());
        assertTrue(suspended.graceEndsAtMillis() > rig.env.currentTimeMillis());

        server.paymentReceived("evt-paid-1");
        // Wait for the next run without querying: a query racing the continue-as-new can leave the test server's
        // time-skipping lock held by a task of the closed run, and every later skip hangs.
        awaitRunAfter(firstRun.getRunId());
        ServerLifecycleState paid = server.state();
        assertEquals(2, paid.cycle());
        assertEquals(ServerLifecycleState.Status.ACTIVE, paid.status());
        assertNull(paid.suspension());
        assertEquals(BillingCycle.MONTHLY.nextRenewal(renewsAt), paid.renewsAtMillis());
        assertEquals(1, panelCalls("unsuspendServer"));
        assertFalse(rig.panel.isSuspended(panelServer.id()));
        assertEquals(1, serverEvents(ServerNotification.UNSUSPENDED));
        assertEquals(1, serverEvents(ServerNotification.RENEWED));
        assertEquals("ACTIVE", rig.store.serverStatus(SERVER).status());

        // The old grace deadline passes: nothing is terminated.
        rig.skip(Duration.ofDays(8));
        eventually(() -> server.state().status() == ServerLifecycleState.Status.ACTIVE);
        assertEquals(0, panelCalls("removeServer"));
    }

    @Test
    void anUnpaidServerIsSuspendedThenTerminatedAfterTheGracePeriod() {
        rig.payments.setBalance(SagaRig.CUSTOMER, 0);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(1));

        rig.skip(Duration.ofDays(7));
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);
        assertEquals(0, panelCalls("removeServer"), "not before the grace period ends");

        awaitEnd();

        assertEquals(1, panelCalls("suspendServer"));
        assertEquals(1, panelCalls("removeServer"));
        assertEquals(0, panelCalls("forceRemoveServer"));
        assertTrue(rig.panel.servers().isEmpty(), "the panel server is gone");
        assertEquals(3, serverEvents(ServerNotification.PAYMENT_FAILED));
        assertEquals(1, serverEvents(ServerNotification.SUSPENDED));
        assertEquals(1, serverEvents(ServerNotification.TERMINATED));
        assertEquals("TERMINATED", rig.store.serverStatus(SERVER).status(), "the record is kept, marked terminated");
        ServerLifecycleState end = server.state();
        assertEquals(ServerLifecycleState.Status.TERMINATED, end.status());
        List<ServerLifecycleState.Status> path = end.history().stream().map(Transition::to).toList();
        assertEquals(List.of(ServerLifecycleState.Status.ACTIVE, ServerLifecycleState.Status.PAST_DUE,
                ServerLifecycleState.Status.PAST_DUE, ServerLifecycleState.Status.PAST_DUE,
                ServerLifecycleState.Status.SUSPENDED, ServerLifecycleState.Status.TERMINATED), path);
    }

    /** Issue 11: a suspension and a termination end the server's live sessions before the customer is told. */
    @Test
    void aSuspensionAndATerminationCloseTheServersLiveSessionsBeforeTheCustomerIsTold() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(30));

        server.suspendForAbuse("spam relay");
        eventually(() -> serverEvents(ServerNotification.SUSPENDED) == 1);
        List<String> suspended = rig.journal.entries();
        int panel = suspended.indexOf("panel.suspendServer:" + panelServer.id());
        int store = suspended.indexOf("store.markServerStatus:SUSPENDED");
        int close = suspended.indexOf("live.close:" + SERVER + ":" + LiveSessionActivities.SUSPENDED);
        int told = suspended.indexOf("notify.server:" + ServerNotification.SUSPENDED);
        assertTrue(panel >= 0 && panel < store && store < close && close < told, suspended.toString());

        server.adminTerminate("abuse confirmed");
        awaitEnd();
        List<String> terminated = rig.journal.entries();
        int removed = terminated.indexOf("panel.removeServer:" + panelServer.id());
        int closed = terminated.indexOf("live.close:" + SERVER + ":" + LiveSessionActivities.TERMINATED);
        int toldEnd = terminated.indexOf("notify.server:" + ServerNotification.TERMINATED);
        assertTrue(removed >= 0 && removed < closed && closed < toldEnd, terminated.toString());
        assertEquals(2, rig.journal.count("live.close:"), terminated.toString());
    }

    @Test
    void aSuspensionGoesOnWhenTheLiveSessionsCannotBeClosed() {
        rig.liveSessions.redisDown = true;
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(30));

        server.adminSuspend("chargeback under review");
        // The suspend child tells the customer before it completes; the lifecycle takes the new state after that.
        eventually(() -> serverEvents(ServerNotification.SUSPENDED) == 1);
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);

        assertEquals("SUSPENDED", rig.store.serverStatus(SERVER).status());
        assertTrue(rig.panel.isSuspended(panelServer.id()));
        assertEquals(3, rig.journal.count("live.closeFailed:" + SERVER), "a short retry, then on without it");
        assertEquals(0, rig.journal.count("live.close:"));
    }

    @Test
    void aPaymentNeverLiftsAnOperatorsSuspension() {
        long renewsAt = inDays(30);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);

        server.adminSuspend("chargeback under review");
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);
        server.paymentReceived("evt-1");
        eventually(() -> server.state().cycle() == 2);

        ServerLifecycleState state = server.state();
        assertEquals(ServerLifecycleState.Status.SUSPENDED, state.status());
        assertEquals(SuspensionReason.ADMIN, state.suspension());
        assertEquals(BillingCycle.MONTHLY.nextRenewal(renewsAt), state.renewsAtMillis());
        assertEquals(1, panelCalls("suspendServer"));
        assertEquals(0, panelCalls("unsuspendServer"));
        assertTrue(rig.panel.isSuspended(panelServer.id()));
        assertEquals(1, serverEvents(ServerNotification.RENEWED));

        server.adminUnsuspend("review cleared");
        eventually(() -> server.state().status() == ServerLifecycleState.Status.ACTIVE);
        assertEquals(1, panelCalls("unsuspendServer"));
    }

    @Test
    void aPaymentEventDeliveredAgainAfterContinueAsNewRenewsOnce() {
        long renewsAt = inDays(30);
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, renewsAt);

        server.paymentReceived("evt-A");
        server.paymentReceived("evt-A");
        eventually(() -> server.state().cycle() == 2);
        server.paymentReceived("evt-A");
        // A later, different event: once it is applied, the redelivery before it has been seen too.
        server.paymentReceived("evt-B");
        eventually(() -> server.state().cycle() == 3);

        assertEquals(BillingCycle.MONTHLY.nextRenewal(BillingCycle.MONTHLY.nextRenewal(renewsAt)),
                server.state().renewsAtMillis());
        assertEquals(2, serverEvents(ServerNotification.RENEWED));
        assertEquals("evt-B", server.state().lastPaymentReference());
    }

    @Test
    void anOperatorsTerminateSentTwiceDeletesOnce() {
        start(PaymentMethod.TKCOINS, inDays(30));
        ServerLifecycleWorkflow server = lifecycle();

        server.adminTerminate("abuse confirmed");
        try {
            server.adminTerminate("abuse confirmed");
        } catch (WorkflowException alreadyClosed) {
            // The first one finished first: a closed entity takes no signal, which is one effect too.
        }
        awaitEnd();

        assertEquals(1, panelCalls("removeServer"));
        assertEquals(1, serverEvents(ServerNotification.TERMINATED));
        assertTrue(rig.panel.servers().isEmpty());
        assertEquals(ServerLifecycleState.Status.TERMINATED, server.state().status());
        assertEquals(0, rig.payments.debitCount(), "no renewal was charged");
    }

    @Test
    void aServerOnANodeUnreachableForThirtyMinutesIsForceDeleted() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(30));
        rig.panel.nodeUnreachable = true;

        server.adminTerminate("customer left");
        awaitEnd();

        long normalDeletes = panelCalls("removeServer");
        assertEquals(1, panelCalls("forceRemoveServer"));
        assertTrue(normalDeletes >= 30 && normalDeletes <= 32,
                "normal deletes once a minute until 30 minutes passed, not a count of attempts: " + normalDeletes);
        assertTrue(rig.panel.servers().isEmpty());
        assertTrue(server.state().reason().contains("force-deleted"), server.state().reason());
        assertEquals("TERMINATED", rig.store.serverStatus(SERVER).status());
    }

    @Test
    void aCardRenewalWaitsForTheWebhook() {
        long renewsAt = inDays(1);
        ServerLifecycleWorkflow server = start(PaymentMethod.CARD, renewsAt);

        rig.skip(Duration.ofDays(1).plusMinutes(5));
        PaymentWorkflow payment = rig.paymentStub(PaymentIds.workflowId(PaymentIds.forRenewal(SERVER, renewsAt, 1)));
        eventually(() -> payment.details().status() == PaymentStatus.AWAITING_CUSTOMER);
        assertEquals(1, serverEvents(ServerNotification.PAYMENT_DUE));
        String pi = payment.details().providerPaymentId();
        rig.payments.customerPaid(pi);
        payment.webhook(new CardPaymentEvent("evt_card_1", CardPaymentEvent.SUCCEEDED, pi, 999, "eur", null));

        eventually(() -> server.state().cycle() == 2);
        assertEquals(ServerLifecycleState.Status.ACTIVE, server.state().status());
        assertEquals(BillingCycle.MONTHLY.nextRenewal(renewsAt), server.state().renewsAtMillis());
    }

    @Test
    void anAbuseSuspensionDoesNotWaitForAnOpenCardChargeAndOutlivesItsPayment() {
        long renewsAt = inDays(1);
        ServerLifecycleWorkflow server = start(PaymentMethod.CARD, renewsAt);
        rig.skip(Duration.ofDays(1).plusMinutes(5));
        PaymentWorkflow payment = rig.paymentStub(PaymentIds.workflowId(PaymentIds.forRenewal(SERVER, renewsAt, 1)));
        eventually(() -> payment.details().status() == PaymentStatus.AWAITING_CUSTOMER);

        server.suspendForAbuse("phishing site");
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);
        assertEquals(SuspensionReason.ABUSE, server.state().suspension());
        assertEquals(1, panelCalls("suspendServer"));

        String pi = payment.details().providerPaymentId();
        rig.payments.customerPaid(pi);
        payment.webhook(new CardPaymentEvent("evt_card_2", CardPaymentEvent.SUCCEEDED, pi, 999, "eur", null));
        eventually(() -> server.state().cycle() == 2);

        assertEquals(ServerLifecycleState.Status.SUSPENDED, server.state().status());
        assertEquals(SuspensionReason.ABUSE, server.state().suspension());
        assertEquals(0, panelCalls("unsuspendServer"));
        assertEquals(BillingCycle.MONTHLY.nextRenewal(renewsAt), server.state().renewsAtMillis());
    }

    @Test
    void aServerCancelledAtPeriodEndIsTerminatedInsteadOfCharged() {
        ServerLifecycleWorkflow server = start(PaymentMethod.TKCOINS, inDays(10));
        server.cancelAtPeriodEnd("moving to another host");
        eventually(() -> server.state().cancelAtPeriodEnd());

        awaitEnd();

        assertEquals(0, rig.journal.count("payments.debit:"));
        assertEquals(1, panelCalls("removeServer"));
        assertEquals(1, serverEvents(ServerNotification.CANCELLATION_SCHEDULED));
        assertEquals(1, serverEvents(ServerNotification.TERMINATED));
    }

    /** Event counts of every run of the entity, following continue-as-new from the first run. */
    private List<Integer> runLengths() {
        List<Integer> lengths = new ArrayList<>();
        String runId = firstRun.getRunId();
        while (runId != null) {
            WorkflowExecutionHistory history = rig.client.fetchHistory(firstRun.getWorkflowId(), runId);
            List<HistoryEvent> events = history.getEvents();
            lengths.add(events.size());
            HistoryEvent last = events.get(events.size() - 1);
            runId = last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
                    ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId() : null;
        }
        return lengths;
    }

    /** Waits for a run newer than {@code runId} to be running, through the test server's describe (no query). */
    private void awaitRunAfter(String runId) {
        eventually(() -> {
            var latest = rig.latestRun(ServerLifecycleWorkflow.workflowId(SERVER));
            return !latest.getExecution().getRunId().equals(runId) && rig.running(ServerLifecycleWorkflow.workflowId(SERVER));
        });
    }
}
