package com.admintk.orchestrator.order;

import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.testing.SagaRig;
import org.junit.jupiter.api.Test;

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
