package com.admintk.orchestrator.order;

import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.server.ProvisionServerWorkflow;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The room a checkout reserved is held before the charge and the create, used for placement, and given back. */
class OrderCapacityReservationTest {

    private static final CapacityReservation RESERVED = new CapacityReservation("res-1", 1, 1042, 25565);

    private static OrderRequest reserved(String orderId, PaymentMethod method) {
        return order(orderId, method).withReservation(RESERVED);
    }

    @Test
    void theServerIsCreatedOnTheReservedAllocationAndTheRoomIsGivenBackOnceItStandsThere() {
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.reserved(RESERVED);
            OrderResult result = rig.run(reserved("cap-ok", PaymentMethod.TKCOINS));

            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
            assertEquals(1042, rig.panel.specOf(OrderIds.externalId("cap-ok")).allocationId());
            List<String> journal = rig.journal.entries();
            int firstHold = rig.journal.indexOf("capacity.hold:res-1");
            int debit = rig.journal.indexOf("payments.debit:");
            int create = rig.journal.indexOf("panel.createServer:");
            int release = rig.journal.indexOf("capacity.release:res-1:placed");
            assertTrue(firstHold >= 0 && firstHold < debit, "held before the charge: " + journal);
            assertEquals(2, rig.journal.count("capacity.hold:res-1"), "held again before the create: " + journal);
            assertTrue(create < release, "released once the server stands on it: " + journal);
            assertEquals(1, rig.journal.count("capacity.release:"), journal.toString());
            assertTrue(rig.capacity.held().isEmpty());
        }
    }

    /**
     * Version 2 of the saga: the store writes and the reservation calls are local activities of the order's workflow
     * tasks, and the install watch list one of the provision child's; only the panel, payment and notification calls
     * are scheduled on task queues.
     */
    @Test
    void storeWritesReservationsAndTheInstallWatchRunAsLocalActivities() {
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.reserved(RESERVED);
            OrderResult result = rig.run(reserved("cap-local", PaymentMethod.TKCOINS));
            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());

            Steps order = steps(rig, OrderIds.workflowId("cap-local"));
            assertEquals(List.of("HoldReservation", "HoldReservation", "ReleaseReservation", "RecordServer",
                    "MarkOrderStatus"), order.local(), order.toString());
            assertTrue(order.scheduled().containsAll(List.of("ResolveEggVariables", "EmailCustomer", "NotifyStore",
                    "PublishOrderEvent")), order.toString());
            assertTrue(order.scheduled().stream().noneMatch(order.local()::contains), order.toString());
            Steps child = steps(rig, ProvisionServerWorkflow.workflowId("cap-local", 1));
            assertTrue(child.local().contains("WatchInstall"), child.toString());
            assertTrue(child.scheduled().contains("CreateServer") && !child.scheduled().contains("WatchInstall"),
                    child.toString());
            // What the calls did is the same as when they were scheduled.
            assertEquals(2, rig.journal.count("capacity.hold:res-1"), rig.journal.entries().toString());
            assertEquals(1, rig.journal.count("capacity.release:res-1:placed"), rig.journal.entries().toString());
            assertTrue(rig.store.servers().containsKey(OrderIds.serverId("cap-local")));
        }
    }

    /** Activity types of one run: the scheduled ones and the local ones (from their markers), in history order. */
    private record Steps(List<String> scheduled, List<String> local) {
    }

    private static Steps steps(SagaRig rig, String workflowId) {
        List<String> scheduled = new ArrayList<>();
        List<String> local = new ArrayList<>();
        for (HistoryEvent event : rig.client.fetchHistory(workflowId).getEvents()) {
            if (event.hasActivityTaskScheduledEventAttributes()) {
                scheduled.add(event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
            }
            if (event.hasMarkerRecordedEventAttributes()
                    && event.getMarkerRecordedEventAttributes().getMarkerName().equals("LocalActivity")) {
                Payload type = event.getMarkerRecordedEventAttributes().getDetailsMap().get("type").getPayloads(0);
                local.add(type.getData().toStringUtf8().replace("\"", ""));
            }
        }
        return new Steps(scheduled, local);
    }

    @Test
    void soldOutBeforeTheChargeFailsWithoutMovingMoney() {
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.soldOut = true;
            OrderResult result = rig.run(reserved("cap-gone", PaymentMethod.TKCOINS));

            assertEquals(OrderStatus.FAILED, result.status());
            assertEquals("NO_CAPACITY", CustomerReason.of(result.reason()).code(), result.reason());
            assertFalse(result.charged());
            assertEquals(0, rig.journal.count("payments."), rig.journal.entries().toString());
            assertEquals(0, rig.journal.count("panel.createServer:"));
            assertEquals(1, rig.journal.count("capacity.release:res-1:undone"));
        }
    }

    @Test
    void aReservationTakenAgainOnAnotherAllocationPlacesTheServerThere() {
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.movesTo = 2077;
            OrderResult result = rig.run(reserved("cap-moved", PaymentMethod.TKCOINS));

            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
            assertEquals(2077, rig.panel.specOf(OrderIds.externalId("cap-moved")).allocationId());
        }
    }

    @Test
    void aFailedInstallDeletesRefundsAndGivesTheRoomBack() {
        try (SagaRig rig = new SagaRig()) {
            rig.panel.install = com.admintk.orchestrator.testing.FakePanel.Install.FAILS;
            OrderResult result = rig.run(reserved("cap-fail", PaymentMethod.TKCOINS));

            assertEquals(OrderStatus.REFUNDED, result.status());
            List<String> journal = rig.journal.entries();
            assertTrue(rig.journal.indexOf("payments.refund:") < rig.journal.indexOf("capacity.release:res-1:undone"),
                    journal.toString());
            assertTrue(rig.capacity.held().isEmpty());
        }
    }

    @Test
    void ordersWithoutAReservationKeepThePlansDeployPlacement() {
        try (SagaRig rig = new SagaRig()) {
            OrderResult result = rig.run(order("cap-none", PaymentMethod.TKCOINS));

            assertEquals(OrderStatus.ACTIVE, result.status());
            assertEquals(null, rig.panel.specOf(OrderIds.externalId("cap-none")).allocationId());
            assertEquals(0, rig.journal.count("capacity."));
        }
    }
}
