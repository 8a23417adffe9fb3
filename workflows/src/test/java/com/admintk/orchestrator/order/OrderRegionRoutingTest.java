package com.admintk.orchestrator.order;

import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.server.ServerLifecycleState;
import com.admintk.orchestrator.server.ServerLifecycleWorkflow;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.client.WorkflowStub;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A server lives on its region's panel: the order's region reaches every panel call of the saga, the server record
 * and the lifecycle, whose suspend and terminate children call the same panel. An order without a region (every order
 * recorded before regions) stays on the default one.
 */
class OrderRegionRoutingTest {

    private static OrderRequest inRegion(OrderRequest o, String region) {
        return o.withRegion(region);
    }

    @Test
    void everyPanelCallOfARegionBOrderAndOfItsServerGoesToRegionB() {
        try (SagaRig rig = new SagaRig()) {
            CapacityReservation held = new CapacityReservation("res-west", 4, 40, 25565, "west");
            rig.capacity.reserved(held);
            OrderResult result = rig.run(inRegion(order("west-1", PaymentMethod.TKCOINS), "west")
                    .withReservation(held));

            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
            assertEquals(Set.of("west"), Set.copyOf(rig.panel.regionsCalled()), rig.journal.entries().toString());
            assertEquals("west", rig.store.servers().get(OrderIds.serverId("west-1")).region());
            assertEquals(List.of("capacity.releasedIn:west"), rig.journal.entries().stream()
                    .filter(e -> e.startsWith("capacity.releasedIn:")).toList());

            String lifecycleId = ServerLifecycleWorkflow.workflowId(OrderIds.serverId("west-1"));
            ServerLifecycleWorkflow lifecycle = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class, lifecycleId);
            eventually(() -> lifecycle.state().serverId() != null);
            int before = rig.panel.regionsCalled().size();

            lifecycle.adminSuspend("chargeback under review");
            eventually(() -> lifecycle.state().status() == ServerLifecycleState.Status.SUSPENDED);
            lifecycle.adminTerminate("fraud");
            eventually(() -> lifecycle.state().status() == ServerLifecycleState.Status.TERMINATED);

            List<String> later = rig.panel.regionsCalled().subList(before, rig.panel.regionsCalled().size());
            assertFalse(later.isEmpty());
            assertEquals(Set.of("west"), Set.copyOf(later), rig.journal.entries().toString());
        }
    }

    @Test
    void anOrderWithoutARegionStaysOnTheDefaultPanel() {
        try (SagaRig rig = new SagaRig()) {
            OrderResult result = rig.run(order("plain-1", PaymentMethod.TKCOINS));

            assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
            assertEquals(Set.of("default"), Set.copyOf(rig.panel.regionsCalled()));
            assertNull(rig.store.servers().get(OrderIds.serverId("plain-1")).region());
            WorkflowStub lifecycle = rig.untyped(ServerLifecycleWorkflow.workflowId(OrderIds.serverId("plain-1")));
            eventually(() -> lifecycle.query("state", ServerLifecycleState.class).serverId() != null);
        }
    }
}
