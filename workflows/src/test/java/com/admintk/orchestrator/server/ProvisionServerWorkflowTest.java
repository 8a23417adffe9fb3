package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.OrderResult;
import com.admintk.orchestrator.order.OrderStatus;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PanelUserRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRequest;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.api.history.v1.HistoryEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.admintk.orchestrator.testing.SagaRig.CUSTOMER;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provision child's own decisions, on the time-skipping test server through whole orders: how it ensures the
 * panel user from one-call lookups, and how it undoes a create (lost answers, dead nodes).
 */
class ProvisionServerWorkflowTest {

    private static final String EMAIL = "demo@admin-tk.local";

    private final SagaRig rig = new SagaRig();

    @AfterEach
    void close() {
        rig.close();
    }

    private int ownerOf(String orderId) {
        return rig.panel.specOf("order:" + orderId).panelUserId();
    }

    private long panelCalls(String name) {
        return rig.journal.count("panel." + name + ":");
    }

    @Test
    void aCustomerWhosePanelAccountHasTheirEmailKeepsIt() {
        // The panel's email filter also matches a longer address: only the same address counts.
        rig.panel.addUser(null, "old-" + EMAIL);
        PanelUserRef existing = rig.panel.addUser(null, EMAIL.toUpperCase());

        OrderResult result = rig.run(order("o-email", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
        assertEquals(existing.id(), ownerOf("o-email"));
        assertEquals(0, panelCalls("createPanelUser"), rig.journal.entries().toString());
        assertEquals(1, panelCalls("findPanelUserByExternalId"));
        assertEquals(0, panelCalls("ensurePanelUser"), "the several-call activity is for recorded runs only");
    }

    @Test
    void aNewCustomerGetsOnePanelUserThatTheirNextOrderFindsByExternalId() {
        assertEquals(OrderStatus.ACTIVE, rig.run(order("o-new", PaymentMethod.TKCOINS)).status());
        assertEquals(OrderStatus.ACTIVE, rig.run(order("o-next", PaymentMethod.TKCOINS)).status());

        assertEquals(1, rig.panel.users().size());
        PanelUserRef user = rig.panel.users().get(0);
        assertEquals(CUSTOMER, user.externalId());
        assertEquals(user.id(), ownerOf("o-new"));
        assertEquals(user.id(), ownerOf("o-next"));
        assertEquals(1, panelCalls("createPanelUser"));
        // The second order stopped at the external_id lookup.
        assertEquals(2, panelCalls("findPanelUserByExternalId"));
        assertEquals(1, panelCalls("findPanelUsersByEmail"));
    }

    @Test
    void aUserMadeByAnotherOrderBetweenLookupAndCreateIsLookedUpAgain() {
        rig.panel.userCreatedMeanwhile = new PanelUserRequest(CUSTOMER, EMAIL, "u", "Demo", "Player");

        OrderResult result = rig.run(order("o-race", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
        assertEquals(1, rig.panel.users().size());
        assertEquals(rig.panel.users().get(0).id(), ownerOf("o-race"));
        assertEquals(1, panelCalls("createPanelUser"), "the refused create is not repeated");
        assertEquals(2, panelCalls("findPanelUserByExternalId"));
    }

    @Test
    void aRefusedUserWithNobodyToFindFailsTheOrderBeforeAnyServer() {
        // A 422 that no lookup explains is a real refusal: final for a forward step, and the charge is refunded.
        rig.panel.createUserFailure = PanelFailures.VALIDATION;

        OrderResult result = rig.run(order("o-refused", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertTrue(result.reason().startsWith(PanelFailures.VALIDATION), result.reason());
        assertEquals(1, panelCalls("createPanelUser"), "not retried");
        assertEquals(2, panelCalls("findPanelUserByExternalId"), "looked up again after the refusal");
        assertEquals(0, panelCalls("createServer"));
        assertEquals(10_000, rig.payments.balance(CUSTOMER));
    }

    @Test
    void aCreateWhoseAnswerWasLostIsLookedUpByExternalIdAndRemoved() {
        // The create lands, but every answer is lost until the create step's window ends.
        rig.panel.createUnavailable = Integer.MAX_VALUE;

        OrderResult result = rig.run(order("o-lost", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertTrue(rig.panel.servers().isEmpty(), "the server the create made is gone");
        int lookup = rig.journal.indexOf("panel.findServerByExternalId:order:o-lost");
        int remove = rig.journal.indexOf("panel.removeServer:");
        assertTrue(lookup >= 0 && remove > lookup, rig.journal.entries().toString());
        assertEquals(1, panelCalls("removeServer"));
        assertEquals(0, panelCalls("deleteServer"));
        assertEquals(10_000, rig.payments.balance(CUSTOMER));
    }

    @Test
    void aCreateThatNeverLandedHasNothingToRemove() {
        rig.panel.noCapacity = true;

        OrderResult result = rig.run(order("o-full", PaymentMethod.TKCOINS));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertEquals(1, panelCalls("findServerByExternalId"));
        assertEquals(0, panelCalls("removeServer") + panelCalls("forceRemoveServer"));
    }

    @Test
    void anUndoOnADeadNodeForceDeletesOnlyAfterTheOrdersConfiguredTime() {
        rig.panel.install = FakePanel.Install.FAILS;
        rig.panel.nodeUnreachable = true;
        // Ten minutes of a dead node, rechecked every minute (the default would be thirty).
        LifecyclePolicy policy = new LifecyclePolicy(null, 0, 0, Duration.ofMinutes(10).toSeconds(),
                Duration.ofMinutes(1).toSeconds(), 0);

        OrderResult result = rig.run(SagaRig.withLifecycle(order("o-dead", PaymentMethod.TKCOINS), policy));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertTrue(rig.panel.servers().isEmpty(), "the panel record is force-deleted");
        assertEquals(1, panelCalls("forceRemoveServer"));
        assertEquals(11, panelCalls("removeServer"), "one normal delete a minute, minutes 0 to 10");
        List<HistoryEvent> scheduled = rig.client.fetchHistory(ProvisionServerWorkflow.workflowId("o-dead", 1))
                .getEvents().stream().filter(HistoryEvent::hasActivityTaskScheduledEventAttributes).toList();
        long firstRemove = at(scheduled, "RemoveServer");
        long force = at(scheduled, "ForceRemoveServer");
        assertTrue(force - firstRemove >= Duration.ofMinutes(10).toMillis(),
                "forced " + (force - firstRemove) / 1000 + "s after the first refused delete");
        assertTrue(force - firstRemove < Duration.ofMinutes(11).toMillis(), (force - firstRemove) / 1000 + "s");
    }

    @Test
    void anUndoOnANodeThatComesBackInTimeDeletesNormally() {
        rig.panel.install = FakePanel.Install.FAILS;
        rig.panel.unreachableRemoves = 4;
        LifecyclePolicy policy = new LifecyclePolicy(null, 0, 0, Duration.ofMinutes(10).toSeconds(),
                Duration.ofMinutes(1).toSeconds(), 0);

        OrderResult result = rig.run(SagaRig.withLifecycle(order("o-back", PaymentMethod.TKCOINS), policy));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertTrue(rig.panel.servers().isEmpty());
        assertEquals(5, panelCalls("removeServer"));
        assertEquals(0, panelCalls("forceRemoveServer"), "the node came back before the policy's time");
    }

    private static long at(List<HistoryEvent> scheduled, String activity) {
        return scheduled.stream()
                .filter(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activity))
                .findFirst().orElseThrow(() -> new AssertionError("no " + activity))
                .getEventTime().getSeconds() * 1000;
    }
}
