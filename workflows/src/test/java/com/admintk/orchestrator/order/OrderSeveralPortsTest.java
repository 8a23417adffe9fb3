package com.admintk.orchestrator.order;

import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.testing.FakePanel;
import com.admintk.orchestrator.testing.SagaRig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A plan of several ports: created on the reserved allocations, its port variables set, picked again when taken. */
class OrderSeveralPortsTest {

    private static final PlanPorts RUST_PORTS = new PlanPorts(4,
            Map.of("QUERY_PORT", 1, "RCON_PORT", 2, "APP_PORT", 3));
    static final CapacityReservation RESERVED = new CapacityReservation("res-rust", 1, 1050, 28015,
            List.of(1051, 1052, 1053), List.of(28016, 28017, 28018));

    static OrderRequest rustOrder(String orderId, CapacityReservation reservation) {
        PlanSnapshot p = SagaRig.plan();
        PlanSnapshot rust = new PlanSnapshot("rust-4", p.nestId(), p.eggId(), p.dockerImage(), p.startup(),
                Map.of("MAX_PLAYERS", "40", "QUERY_PORT", "27017"), p.limits(), new ServerSpec.FeatureLimits(0, 4, 2),
                null, p.locationIds(), List.of("28015-28054"), p.priceCoins(), p.priceAmountMinor(), p.currency(),
                p.billingCycle(), RUST_PORTS);
        OrderRequest o = SagaRig.order(orderId, PaymentMethod.TKCOINS);
        OrderRequest withPlan = new OrderRequest(o.orderId(), o.attempt(), o.customer(), rust, o.serverName(),
                o.eggVariables(), o.paymentMethod(), o.options(), o.lifecycle());
        return reservation == null ? withPlan : withPlan.withReservation(reservation);
    }

    @Test
    void theServerGetsItsReservedAllocationsAndEachPortVariableNamesItsAllocationsPort() {
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.reserved(RESERVED);
            OrderResult result = rig.run(rustOrder("ports-ok", RESERVED));

            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
            ServerSpec spec = rig.panel.specOf(OrderIds.externalId("ports-ok"));
            assertEquals(1050, spec.allocationId());
            assertEquals(List.of(1051, 1052, 1053), spec.additionalAllocationIds());
            assertEquals("28016", spec.environment().get("QUERY_PORT"), "the plan's mapping wins over its default");
            assertEquals("28017", spec.environment().get("RCON_PORT"));
            assertEquals("28018", spec.environment().get("APP_PORT"));
            assertEquals("40", spec.environment().get("MAX_PLAYERS"));
            assertEquals(1, rig.journal.count("panel.createServer:"));
            assertEquals(0, rig.journal.count("capacity.repick:"));
            assertTrue(rig.capacity.held().isEmpty(), "released once the server stands on it");
        }
    }

    @Test
    void anAllocationTakenOutsideTheOrchestratorIsPickedAgainAndTheServerMadeOnFreeOnes() {
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.reserved(RESERVED);
            rig.panel.takenAllocations.add(1052);
            OrderResult result = rig.run(rustOrder("ports-taken", RESERVED));

            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
            assertEquals(2, rig.journal.count("panel.createServer:"), rig.journal.entries().toString());
            assertEquals(1, rig.journal.count("capacity.repick:res-rust"));
            ServerSpec spec = rig.panel.specOf(OrderIds.externalId("ports-taken"));
            assertEquals(3000, spec.allocationId());
            assertEquals(List.of(3001, 3002, 3003), spec.additionalAllocationIds());
            assertEquals("28101", spec.environment().get("QUERY_PORT"));
            assertEquals("28102", spec.environment().get("RCON_PORT"));
            assertEquals("28103", spec.environment().get("APP_PORT"));
        }
    }

    /** Redis lost the reservations (a restart): a second checkout got the same allocation before the panel showed it. */
    @Test
    void aOneAllocationServerWhoseReservedAllocationIsTakenIsMadeOnAFreeOne() {
        try (SagaRig rig = new SagaRig()) {
            CapacityReservation single = new CapacityReservation("res-paper", 1, 1050, 25565);
            rig.capacity.reserved(single);
            rig.panel.takenAllocations.add(1050);
            OrderResult result = rig.run(SagaRig.order("paper-taken", PaymentMethod.TKCOINS).withReservation(single));

            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
            assertEquals(2, rig.journal.count("panel.createServer:"), rig.journal.entries().toString());
            assertEquals(1, rig.journal.count("capacity.repick:res-paper"));
            ServerSpec spec = rig.panel.specOf(OrderIds.externalId("paper-taken"));
            assertEquals(3000, spec.allocationId());
            assertEquals(List.of(), spec.additionalAllocationIds() == null ? List.of() : spec.additionalAllocationIds());
            assertEquals(1, rig.journal.count("payments.debit:"), "charged once");
        }
    }

    @Test
    void noFreeAllocationsLeftAfterARefusalRefundsAndGivesTheRoomBack() {
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.reserved(RESERVED);
            rig.panel.takenAllocations.add(1051);
            rig.capacity.noFreeAllocations = true;
            OrderResult result = rig.run(rustOrder("ports-gone", RESERVED));

            assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
            assertTrue(result.charged());
            assertTrue(rig.panel.servers().isEmpty(), "no server was made");
            assertEquals(1, rig.journal.count("capacity.release:res-rust:undone"), rig.journal.entries().toString());
            assertTrue(rig.capacity.held().isEmpty());
        }
    }

    @Test
    void aFailedInstallDeletesTheServerWhichFreesItsAllocationsAndReleasesTheHold() {
        try (SagaRig rig = new SagaRig()) {
            rig.capacity.reserved(RESERVED);
            rig.panel.install = FakePanel.Install.FAILS;
            OrderResult result = rig.run(rustOrder("ports-fail", RESERVED));

            assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
            assertTrue(rig.panel.servers().isEmpty(), "the server and with it its allocations are gone");
            assertEquals(1, rig.journal.count("capacity.release:res-rust:undone"));
            assertTrue(rig.capacity.held().isEmpty());
        }
    }

    @Test
    void anOrderThatReachedTheSagaWithoutAReservationTakesOneBeforeTheCharge() {
        try (SagaRig rig = new SagaRig()) {
            OrderResult result = rig.run(rustOrder("ports-unreserved", null));

            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
            List<String> journal = rig.journal.entries();
            assertTrue(rig.journal.indexOf("capacity.hold:res_ports-unreserved_1")
                    < rig.journal.indexOf("payments.debit:"), journal.toString());
            ServerSpec spec = rig.panel.specOf(OrderIds.externalId("ports-unreserved"));
            assertEquals(3, spec.additionalAllocationIds().size(), spec.toString());
            assertFalse(spec.environment().get("RCON_PORT").isBlank());
        }
    }
}
