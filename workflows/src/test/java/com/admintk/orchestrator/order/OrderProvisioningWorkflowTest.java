package com.admintk.orchestrator.order;

import com.admintk.orchestrator.notification.OperatorAlert;
import com.admintk.orchestrator.payment.CardPaymentEvent;
import com.admintk.orchestrator.payment.PaymentDetails;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentStatus;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.server.LifecyclePolicy;
import com.admintk.orchestrator.server.ProvisionServerWorkflow;
import com.admintk.orchestrator.server.ServerLifecycleState;
import com.admintk.orchestrator.server.ServerLifecycleWorkflow;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.SagaRig;
import com.admintk.orchestrator.testing.FakeStore;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.admintk.orchestrator.testing.SagaRig.CUSTOMER;
import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrderProvisioningWorkflowTest {

    private final SagaRig rig = new SagaRig();

    @AfterEach
    void close() {
        rig.close();
    }

    private StepRecord step(OrderResult result, OrderStep step) {
        return result.timeline().stream().filter(s -> s.name().equals(step.id())).findFirst().orElseThrow();
    }

    private void assertNoServerAndWalletRestored() {
        assertTrue(rig.panel.servers().isEmpty(), "no server may remain on the panel");
        assertEquals(10_000, rig.payments.balance(CUSTOMER), "wallet restored");
        assertTrue(rig.store.servers().isEmpty(), "no server record may remain");
    }

    /** Before the charge the saga only reads the egg: nothing is created on the panel. */
    private void assertOnlyTheEggWasRead() {
        assertEquals(List.of("panel.resolveEggVariables:1/5"), rig.journal.entries().stream()
                .filter(e -> e.startsWith("panel.")).toList());
    }

    @Test
    void tkCoinsCheckoutEndsActiveWithOneServerOneDebitAndAnEmail() {
        OrderResult result = rig.run(order("o-1", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.ACTIVE, result.status());
        assertTrue(result.charged());
        assertFalse(result.refunded());
        assertEquals(1, rig.panel.servers().size());
        assertNotNull(rig.panel.servers().get("order:o-1"));
        assertEquals(9_500, rig.payments.balance(CUSTOMER));
        assertEquals(1, rig.payments.debitCount());
        assertEquals(1, rig.journal.count("notify.email:ACTIVE"));
        assertEquals(1, rig.journal.count("notify.store:ACTIVE"));
        assertEquals(1, rig.journal.count("notify.event:ACTIVE"));
        ServerRecord record = rig.store.servers().get("srv-o-1");
        assertNotNull(record);
        assertEquals(result.panelServerId(), record.panelServerId());
        assertEquals(OrderStatus.ACTIVE, rig.store.statusWrites().get(rig.store.statusWrites().size() - 1).status());
        // The plan's value beats the egg default, the customer's choice beats both; the environment is complete.
        Map<String, String> env = rig.panel.specOf("order:o-1").environment();
        assertEquals("40", env.get("MAX_PLAYERS"));
        assertEquals("1.20.4", env.get("MINECRAFT_VERSION"));
        assertEquals("server.jar", env.get("SERVER_JARFILE"));
        assertEquals("ghcr.io/pterodactyl/yolks:java_17", rig.panel.specOf("order:o-1").dockerImage());
    }

    @Test
    void activeOrderHandsTheServerToItsLifecycleWithARenewalDate() {
        // Not rig.run: while a client waits for a result the test server skips time, and once the order is done the
        // only timer left is the renewal, 30 days on. Started and watched in real time, time stays put.
        rig.start(SagaRig.withOptions(order("o-life", PaymentMethod.TKCOINS), new OrderOptions(600, 1, 1, 0)));
        eventually(() -> rig.progress("o-life").status() == OrderStatus.ACTIVE);
        String serverId = rig.progress("o-life").serverId();

        ServerLifecycleWorkflow lifecycle = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                ServerLifecycleWorkflow.workflowId(serverId));
        ServerLifecycleState state = lifecycle.state();
        assertEquals(ServerLifecycleState.Status.ACTIVE, state.status());
        assertEquals(rig.store.servers().get(serverId).renewsAtMillis(), state.renewsAtMillis());
        assertTrue(state.renewsAtMillis() > rig.env.currentTimeMillis());
    }

    /** The local stack and end-to-end tests configure a short billing period; it must reach the server's lifecycle. */
    @Test
    void aConfiguredBillingPeriodSetsTheFirstRenewalOfTheLifecycle() {
        LifecyclePolicy policy = new LifecyclePolicy(List.of(0L, 30L), 120, 300, 0, 0, 0, 60);
        rig.start(SagaRig.withLifecycle(SagaRig.withOptions(order("o-short", PaymentMethod.TKCOINS),
                new OrderOptions(600, 1, 1, 0)), policy));
        eventually(() -> rig.progress("o-short").status() == OrderStatus.ACTIVE);
        String serverId = rig.progress("o-short").serverId();

        ServerRecord record = rig.store.servers().get(serverId);
        assertEquals(record.createdAtMillis() + 60_000, record.renewsAtMillis(), "one period of 60 s, not a month");
        ServerLifecycleState state = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                ServerLifecycleWorkflow.workflowId(serverId)).state();
        assertEquals(record.renewsAtMillis(), state.renewsAtMillis());
    }

    @Test
    void withoutAConfiguredPolicyTheFirstRenewalIsOneCalendarCycleLater() {
        rig.start(SagaRig.withOptions(order("o-month", PaymentMethod.TKCOINS), new OrderOptions(600, 1, 1, 0)));
        eventually(() -> rig.progress("o-month").status() == OrderStatus.ACTIVE);

        ServerRecord record = rig.store.servers().get(rig.progress("o-month").serverId());
        assertEquals(BillingCycle.MONTHLY.nextRenewal(record.createdAtMillis()), record.renewsAtMillis());
    }

    @Test
    void theServerIsMadeByAProvisionChildThatUndoesItsOwnCreate() {
        rig.panel.install = FakePanel.Install.FAILS;
        OrderResult result = rig.run(order("o-child", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status());
        String child = ProvisionServerWorkflow.workflowId("o-child", 1);
        assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED, rig.latestRun(child).getStatus());
        // The child's history holds the delete (one panel call, by id); the order only refunded.
        assertTrue(rig.client.fetchHistory(child).getEvents().stream()
                .filter(e -> e.hasActivityTaskScheduledEventAttributes())
                .anyMatch(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
                        .equals("RemoveServer")));
        assertFalse(rig.client.fetchHistory(OrderIds.workflowId("o-child")).getEvents().stream()
                .filter(e -> e.hasActivityTaskScheduledEventAttributes())
                .anyMatch(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()
                        .equals("DeleteServer")));
        assertEquals(1, rig.journal.count("panel.removeServer:"));
        assertEquals(0, rig.journal.count("panel.deleteServer:"));
        assertNoServerAndWalletRestored();
    }

    @Test
    void aStepAfterProvisioningThatFailsHasTheOrderDeleteTheServer() {
        rig.store.refuseServerRecords = true;
        OrderResult result = rig.run(order("o-unrecorded", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertTrue(result.reason().startsWith("StoreRefused"), result.reason());
        // By id, one panel call per activity: the multi-call delete by external_id is for recorded runs only.
        assertEquals(1, rig.journal.count("panel.removeServer:"));
        assertEquals(0, rig.journal.count("panel.deleteServer:"));
        assertTrue(rig.journal.indexOf("panel.removeServer") < rig.journal.indexOf("payments.refund"));
        assertNoServerAndWalletRestored();
        assertEquals(StepState.COMPENSATED, step(result, OrderStep.CREATE_SERVER).state());
        assertEquals(StepState.DONE, step(result, OrderStep.AWAIT_INSTALLED).state());
    }

    @Test
    void timelineListsEveryStepDoneWithTimesInOrder() {
        OrderResult result = rig.run(order("o-tl", PaymentMethod.TKCOINS));

        assertEquals(Arrays.stream(OrderStep.values()).filter(step -> !step.optional()).map(OrderStep::id).toList(),
                result.timeline().stream().map(StepRecord::name).toList());
        long previous = 0;
        for (StepRecord s : result.timeline()) {
            assertEquals(StepState.DONE, s.state(), s.name());
            assertTrue(s.attempts() >= 1, s.name());
            assertNotNull(s.startedAt(), s.name());
            assertTrue(s.finishedAt() >= s.startedAt(), s.name());
            assertTrue(s.startedAt() >= previous, s.name());
            previous = s.startedAt();
        }
        assertEquals(2, step(result, OrderStep.AWAIT_INSTALLED).attempts(), "two install polls");
        // Started once each: the order marks the child's first step itself, the child's batches do not repeat it.
        assertEquals(1, step(result, OrderStep.ENSURE_PANEL_USER).attempts());
        assertEquals(1, step(result, OrderStep.CREATE_SERVER).attempts());
        assertEquals(result.timeline(), rig.store.statusWrites().get(0).timeline());
        assertEquals(OrderStatus.ACTIVE, rig.progress("o-tl").status());
    }

    @Test
    void cardCheckoutWaitsForTheWebhookThenEndsActive() {
        PaymentWorkflow payment = startCardOrderAndAwaitCustomer("o-card");
        PaymentDetails details = payment.details();
        assertEquals("pi_o-card-p1_secret_x", details.clientSecret());
        assertTrue(rig.panel.servers().isEmpty(), "nothing provisioned before the payment is confirmed");

        rig.payments.customerPaid(details.providerPaymentId());
        payment.webhook(new CardPaymentEvent("evt_1", CardPaymentEvent.SUCCEEDED, details.providerPaymentId(), 999,
                "eur", null));
        OrderResult result = rig.resultOf("o-card");

        assertEquals(OrderStatus.ACTIVE, result.status());
        assertEquals(1, rig.panel.servers().size());
    }

    @Test
    void aWebhookDeliveredFiveTimesCompletesTheOrderOnce() {
        PaymentWorkflow payment = startCardOrderAndAwaitCustomer("o-dup");
        String pi = payment.details().providerPaymentId();
        rig.payments.customerPaid(pi);
        for (int i = 0; i < 5; i++) {
            deliverWebhook(payment, new CardPaymentEvent("evt_same", CardPaymentEvent.SUCCEEDED, pi, 999, "eur", null));
        }
        OrderResult result = rig.resultOf("o-dup");

        assertEquals(OrderStatus.ACTIVE, result.status());
        assertEquals(1, rig.panel.servers().size());
        assertEquals(1, rig.journal.count("panel.createServer"));
        assertEquals(1, rig.journal.count("notify.email:ACTIVE"));
    }

    @Test
    void cardCheckoutWithoutWebhookBeforeTheDeadlineFailsWithNothingCharged() {
        OrderResult result = rig.run(order("o-late", PaymentMethod.CARD));

        assertEquals(OrderStatus.FAILED, result.status());
        assertTrue(result.reason().startsWith("PAYMENT_TIMEOUT"), result.reason());
        assertFalse(result.charged());
        assertEquals("canceled", rig.payments.intentStatus("pi_o-late-p1"));
        assertEquals(0, rig.journal.count("payments.refund"));
        assertOnlyTheEggWasRead();
        assertEquals(1, rig.journal.count("notify.email:FAILED"));
    }

    @Test
    void declinedCardFailsTheOrderWithNothingCharged() {
        PaymentWorkflow payment = startCardOrderAndAwaitCustomer("o-declined");
        String pi = payment.details().providerPaymentId();
        payment.webhook(new CardPaymentEvent("evt_f", CardPaymentEvent.PAYMENT_FAILED, pi, 999, "eur",
                "Your card was declined."));
        OrderResult result = rig.resultOf("o-declined");

        assertEquals(OrderStatus.FAILED, result.status());
        assertTrue(result.reason().startsWith("PAYMENT_DECLINED"), result.reason());
        assertEquals("canceled", rig.payments.intentStatus(pi), "a declined intent cannot be paid later");
        assertOnlyTheEggWasRead();
    }

    @Test
    void insufficientTkCoinsFailsTheOrderBeforeAnythingIsCreated() {
        rig.payments.setBalance(CUSTOMER, 100);
        OrderResult result = rig.run(order("o-poor", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.FAILED, result.status());
        assertTrue(result.reason().startsWith("INSUFFICIENT_FUNDS"), result.reason());
        assertEquals(100, rig.payments.balance(CUSTOMER));
        assertOnlyTheEggWasRead();
        assertEquals(StepState.FAILED, step(result, OrderStep.CHARGE).state());
        assertEquals(StepState.SKIPPED, step(result, OrderStep.CREATE_SERVER).state());
    }

    @Test
    void invalidOrderFailsAtValidationWithoutCharging() {
        OrderRequest broken = order("o-bad", PaymentMethod.TKCOINS);
        broken = new OrderRequest("o-bad", 1, broken.customer(), broken.plan(), " ", Map.of(),
                PaymentMethod.TKCOINS, null);
        OrderResult result = rig.run(broken);

        assertEquals(OrderStatus.FAILED, result.status());
        assertTrue(result.reason().startsWith("ORDER_INVALID"), result.reason());
        assertEquals(0, rig.journal.count("payments."));
    }

    @Test
    void noViableNodeRefundsAndLeavesNoServer() {
        rig.panel.noCapacity = true;
        OrderResult result = rig.run(order("o-full", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status());
        assertTrue(result.reason().startsWith("NoCapacity"), result.reason());
        assertEquals(1, rig.journal.count("panel.createServer"), "no capacity is not retried");
        assertNoServerAndWalletRestored();
        assertEquals(StepState.COMPENSATED, step(result, OrderStep.CHARGE).state());
    }

    /** The egg's rules are read and held before the charge: a typo costs the customer nothing, not even a card fee. */
    @Test
    void invalidEggVariableFailsTheOrderBeforeAnyCharge() {
        OrderResult result = rig.run(SagaRig.withEggVariables(order("o-egg", PaymentMethod.TKCOINS),
                Map.of("MAX_PLAYERS", "5000", "SERVER_JARFILE", "server.exe")));

        assertEquals(OrderStatus.FAILED, result.status());
        assertFalse(result.charged());
        assertFalse(result.refunded());
        assertTrue(result.reason().startsWith("EGG_VARIABLES_INVALID"), result.reason());
        assertTrue(result.reason().contains("MAX_PLAYERS"), result.reason());
        assertTrue(result.reason().contains("SERVER_JARFILE"), result.reason());
        assertEquals(0, rig.journal.count("payments."), "no debit, no refund: " + rig.journal.entries());
        assertEquals(1, rig.journal.count("panel.resolveEggVariables"), "a refusal is not retried");
        assertEquals(0, rig.journal.count("panel.ensurePanelUser"));
        assertEquals(0, rig.journal.count("panel.createServer"));
        assertEquals(StepState.FAILED, step(result, OrderStep.RESOLVE_EGG_VARIABLES).state());
        assertEquals(StepState.SKIPPED, step(result, OrderStep.CHARGE).state());
        assertNoServerAndWalletRestored();
    }

    @Test
    void invalidEggVariableOnACardOrderCreatesNoProviderPayment() {
        OrderResult result = rig.run(SagaRig.withEggVariables(order("o-egg-card", PaymentMethod.CARD),
                Map.of("SERVER_JARFILE", "server.exe")));

        assertEquals(OrderStatus.FAILED, result.status());
        assertTrue(result.reason().startsWith("EGG_VARIABLES_INVALID"), result.reason());
        assertEquals(0, rig.journal.count("payments."), "no PaymentIntent: " + rig.journal.entries());
        String paymentRun = PaymentIds.workflowId(PaymentIds.forOrder("o-egg-card", 1));
        assertThrows(WorkflowNotFoundException.class, () -> rig.paymentStub(paymentRun).details(),
                "no payment run was started");
    }

    @Test
    void theEggIsCheckedBeforeTheChargeAndItsEnvironmentReachesTheCreate() {
        rig.run(order("o-egg-order", PaymentMethod.TKCOINS));

        List<String> entries = rig.journal.entries();
        assertTrue(rig.journal.indexOf("panel.resolveEggVariables") < rig.journal.indexOf("payments.debit"),
                entries.toString());
        assertEquals(0, rig.journal.count("panel.describeEgg"), "one panel read, inside the resolving activity");
        assertEquals("40", rig.panel.specOf("order:o-egg-order").environment().get("MAX_PLAYERS"));
    }

    @Test
    void failedInstallDeletesTheServerThenRefunds() {
        rig.panel.install = FakePanel.Install.FAILS;
        OrderResult result = rig.run(order("o-instfail", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status());
        assertTrue(result.reason().startsWith("INSTALL_FAILED"), result.reason());
        assertNoServerAndWalletRestored();
        assertEquals(StepState.COMPENSATED, step(result, OrderStep.CREATE_SERVER).state());
        assertEquals(StepState.COMPENSATED, step(result, OrderStep.CHARGE).state());
        assertEquals(1, rig.journal.count("notify.email:REFUNDED"));
    }

    @Test
    void compensationDeletesTheServerBeforeRefunding() {
        rig.panel.install = FakePanel.Install.FAILS;
        rig.run(order("o-order", PaymentMethod.TKCOINS));

        int delete = rig.journal.indexOf("panel.removeServer:");
        int refund = rig.journal.indexOf("payments.refund:refund:o-order-p1");
        assertTrue(delete >= 0 && refund >= 0, rig.journal.entries().toString());
        assertTrue(delete < refund, rig.journal.entries().toString());
        assertTrue(rig.journal.indexOf("store.markOrderStatus:REFUNDED") > refund);
    }

    @Test
    void aDeleteThatNeverSucceedsEndsCompensationFailedAndAlertsTheOperatorsOnce() {
        rig.panel.install = FakePanel.Install.FAILS;
        // The panel key was revoked and nobody restores it: every delete answers 403 for the whole retry window.
        rig.panel.deleteFailure = PanelFailures.ACCESS_DENIED;

        OrderResult result = rig.run(order("o-stuck", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.COMPENSATION_FAILED, result.status());
        assertTrue(result.status().terminal());
        assertTrue(result.reason().contains("PanelAccessDenied"), result.reason());
        // Retried on the compensation's schedule (2 s doubling to 5 min over 24 h), not given up at the first 403.
        long deletes = rig.journal.count("panel.removeServer:");
        assertTrue(deletes > 200, "delete attempts: " + deletes);
        // The refund is independent of the delete and still made.
        assertTrue(result.refunded());
        assertEquals(10_000, rig.payments.balance(CUSTOMER));
        assertEquals(1, rig.panel.servers().size(), "the server is left for the operators");

        assertEquals(1, rig.journal.count("notify.operators:"), rig.journal.entries().toString());
        assertEquals(1, rig.journal.count("notify.operators:o-stuck:1:COMPENSATION_FAILED"));
        OperatorAlert alert = rig.notifications.alerts.get(0);
        assertEquals(OperatorAlert.COMPENSATION_FAILED, alert.kind());
        assertEquals("order:o-stuck", alert.workflowId());
        assertEquals("order:o-stuck", alert.panelExternalId());
        assertFalse(alert.serverDeleted());
        assertTrue(alert.refunded());
        assertTrue(alert.problems().get(0).startsWith("PanelAccessDenied"), alert.problems().toString());
        // State first, then the operators, then the customer (who is not shown the internal problem).
        int stored = rig.journal.indexOf("store.markOrderStatus:COMPENSATION_FAILED");
        int alerted = rig.journal.indexOf("notify.operators:");
        assertTrue(stored >= 0 && stored < alerted, rig.journal.entries().toString());
        assertEquals(1, rig.journal.count("notify.email:COMPENSATION_FAILED"));
    }

    @Test
    void aKeyRevokedDuringCompensationThenRestoredStillDeletesAndRefunds() {
        rig.panel.install = FakePanel.Install.FAILS;
        rig.panel.deleteFailure = PanelFailures.ACCESS_DENIED;
        rig.panel.deleteFailures = 6;

        OrderResult result = rig.run(order("o-rotated", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertNoServerAndWalletRestored();
        assertEquals(7, rig.journal.count("panel.removeServer:"));
        assertEquals(0, rig.journal.count("notify.operators:"));
        assertEquals(StepState.COMPENSATED, step(result, OrderStep.CREATE_SERVER).state());
    }

    @Test
    void aDeleteAnsweredNotFoundHasNothingToUndo() {
        rig.panel.install = FakePanel.Install.FAILS;
        rig.panel.deleteFailure = PanelFailures.NOT_FOUND;

        OrderResult result = rig.run(order("o-gone", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertEquals(1, rig.journal.count("panel.removeServer:"), "404 is not retried");
        assertEquals(0, rig.journal.count("notify.operators:"));
    }

    @Test
    void aRevokedKeyStillEndsAForwardStepAtOnce() {
        rig.panel.install = FakePanel.Install.NEVER_FINISHES;
        rig.panel.probeFailure = PanelFailures.ACCESS_DENIED;

        OrderResult result = rig.run(order("o-denied", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status());
        assertTrue(result.reason().startsWith("PanelAccessDenied"), result.reason());
        assertEquals(1, rig.journal.count("panel.getServer:"), "no retry of a final forward failure");
        assertNoServerAndWalletRestored();
    }

    @Test
    void installPastItsDeadlineDeletesTheServerAndRefunds() {
        rig.panel.install = FakePanel.Install.NEVER_FINISHES;
        OrderResult result = rig.run(SagaRig.withOptions(order("o-slow", PaymentMethod.TKCOINS),
                new OrderOptions(600, 5, 60, 0)));

        assertEquals(OrderStatus.REFUNDED, result.status());
        assertTrue(result.reason().startsWith("INSTALL_DEADLINE"), result.reason());
        assertNoServerAndWalletRestored();
        StepRecord install = step(result, OrderStep.AWAIT_INSTALLED);
        assertEquals(StepState.FAILED, install.state());
        // Sleeps of 5, 10, 20, 40, then 60 s (capped) up to 555 s, and a last one clipped to the deadline.
        assertEquals(13, install.attempts());
        assertTrue(install.finishedAt() - install.startedAt() >= 600_000);
    }

    @Test
    void theChildStepsShowLiveWhileTheServerInstalls() {
        rig.panel.install = FakePanel.Install.NEVER_FINISHES;
        rig.start(order("o-live", PaymentMethod.TKCOINS));
        rig.awaitInstallWait("o-live");

        OrderProgress progress = rig.progress("o-live");
        assertEquals("awaitInstalled", progress.currentStep());
        Map<String, StepState> states = new HashMap<>();
        progress.timeline().forEach(s -> states.put(s.name(), s.state()));
        assertEquals(StepState.DONE, states.get("ensurePanelUser"));
        assertEquals(StepState.DONE, states.get("createServer"));
        assertEquals(StepState.RUNNING, states.get("awaitInstalled"));
        assertEquals(2, rig.client.fetchHistory(OrderIds.workflowId("o-live")).getEvents().stream()
                .filter(e -> e.hasWorkflowExecutionSignaledEventAttributes()).map(e -> e
                        .getWorkflowExecutionSignaledEventAttributes().getSignalName())
                .filter(ProvisionServerWorkflow.PROGRESS_BATCH_SIGNAL::equals).count(),
                "two batches so far: [ensurePanelUser done, createServer started], [done, awaitInstalled started]");
    }

    @Test
    void cancelledOrderGetsItsRefundAndNoServerRemains() {
        rig.panel.install = FakePanel.Install.NEVER_FINISHES;
        OrderProvisioningWorkflow order = rig.start(order("o-cancel", PaymentMethod.TKCOINS));
        rig.awaitInstallWait("o-cancel");

        order.cancel("changed my mind");
        awaitSettledWithTimeLocked("o-cancel");
        OrderResult result = rig.resultOf("o-cancel");

        assertEquals(OrderStatus.CANCELLED, result.status());
        assertEquals("cancelled: changed my mind", result.reason());
        assertTrue(result.refunded());
        assertNoServerAndWalletRestored();
        assertTrue(rig.journal.indexOf("panel.removeServer") < rig.journal.indexOf("payments.refund"));
        assertEquals(OrderStatus.CANCELLED, rig.store.statusWrites().get(0).status());
    }

    @Test
    void workflowCancellationMidInstallAlsoCompensates() {
        rig.panel.install = FakePanel.Install.NEVER_FINISHES;
        rig.start(order("o-wfcancel", PaymentMethod.TKCOINS));
        rig.awaitInstallWait("o-wfcancel");

        rig.untyped(OrderIds.workflowId("o-wfcancel")).cancel();
        awaitSettledWithTimeLocked("o-wfcancel");
        // Temporal closes a cancel-requested run as Canceled; the order record carries the outcome.
        assertThrows(WorkflowFailedException.class, () -> rig.resultOf("o-wfcancel"));

        FakeStore.StatusWrite last = rig.store.statusWrites().get(rig.store.statusWrites().size() - 1);
        assertEquals(OrderStatus.CANCELLED, last.status());
        assertNoServerAndWalletRestored();
    }

    @Test
    void cancellingWhileTheCardIsUnpaidCancelsThePaymentAndChargesNothing() {
        PaymentWorkflow payment = startCardOrderAndAwaitCustomer("o-cardcancel");
        String pi = payment.details().providerPaymentId();
        rig.client.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId("o-cardcancel"))
                .cancel("no longer needed");
        OrderResult result = rig.resultOf("o-cardcancel");

        assertEquals(OrderStatus.CANCELLED, result.status());
        assertFalse(result.charged());
        assertEquals("canceled", rig.payments.intentStatus(pi));
        assertOnlyTheEggWasRead();
    }

    @Test
    void retriedCreateResolvesToTheExistingServerAndFlakyProbesAreRidden() {
        rig.panel.createUnavailable = 2;
        rig.panel.probeUnavailable = 7;
        OrderResult result = rig.run(order("o-flaky", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.ACTIVE, result.status());
        assertEquals(3, rig.journal.count("panel.createServer"));
        assertEquals(1, rig.panel.servers().size());
        assertTrue(step(result, OrderStep.AWAIT_INSTALLED).lastError().contains("PanelUnavailable"));
    }

    @Test
    void notificationFailureDoesNotFailTheOrder() {
        rig.notifications.smtpDown = true;
        OrderResult result = rig.run(order("o-nosmtp", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.ACTIVE, result.status());
        assertEquals(5, rig.journal.count("notify.email:ACTIVE"), "email retried on its own");
        assertEquals(1, rig.journal.count("notify.store:ACTIVE"));
        assertEquals(1, rig.journal.count("notify.event:ACTIVE"));
        StepRecord notify = step(result, OrderStep.NOTIFY);
        assertEquals(StepState.DONE, notify.state());
        assertTrue(notify.lastError().contains("421"), notify.lastError());
    }

    @Test
    void cancelAfterTheServerIsRecordedIsIgnored() {
        rig.notifications.smtpDown = true; // holds the order in its notify step, after the record
        rig.panel.pollsUntilInstallEnds = 1;
        OrderProvisioningWorkflow order = rig.start(SagaRig.withOptions(order("o-late-cancel", PaymentMethod.TKCOINS),
                new OrderOptions(600, 1, 1, 0)));
        eventually(() -> "notify".equals(rig.progress("o-late-cancel").currentStep()));

        order.cancel("too late");
        OrderResult result = rig.resultOf("o-late-cancel");

        assertEquals(OrderStatus.ACTIVE, result.status());
        assertNull(result.timeline().stream().filter(s -> s.state() == StepState.COMPENSATED).findAny().orElse(null));
        assertEquals(1, rig.panel.servers().size());
    }

    /**
     * Lets a cancellation run to its end before a result is awaited, so time does not skip meanwhile: the
     * time-skipping test server refuses a workflow task that cancels a timer which fired while the task was with the
     * worker ("invalid history builder state for action", temporalio/sdk-java#3088) and strands the run. The
     * provision child's install timer is cancelled one hop after the order's, which opens that window.
     */
    private void awaitSettledWithTimeLocked(String orderId) {
        eventually(() -> !rig.store.statusWrites().isEmpty() && rig.store.statusWrites().stream()
                .anyMatch(w -> w.orderId().equals(orderId) && w.status().terminal()));
    }

    /** As the webhook endpoint does: a payment that already finished has nothing left to learn. */
    private static void deliverWebhook(PaymentWorkflow payment, CardPaymentEvent event) {
        try {
            payment.webhook(event);
        } catch (WorkflowNotFoundException finished) {
            // acknowledged to the provider
        }
    }

    private PaymentWorkflow startCardOrderAndAwaitCustomer(String orderId) {
        rig.start(order(orderId, PaymentMethod.CARD));
        eventually(() -> rig.progress(orderId).paymentWorkflowId() != null);
        PaymentWorkflow payment = rig.paymentStub(rig.progress(orderId).paymentWorkflowId());
        eventually(() -> payment.details().status() == PaymentStatus.AWAITING_CUSTOMER);
        return payment;
    }

    @SuppressWarnings("unused")
    private static List<String> names(List<StepRecord> timeline) {
        return timeline.stream().map(StepRecord::name).toList();
    }
}
