package com.admintk.orchestrator.order;

import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.server.ProvisionServerWorkflow;
import com.admintk.orchestrator.testing.FakeStore;
import com.admintk.orchestrator.testing.SagaRig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.admintk.orchestrator.testing.SagaRig.CUSTOMER;
import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static com.admintk.orchestrator.testing.SagaRig.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An order whose customer agreed to wait for capacity, refused by the panel for want of room after the charge: it
 * waits (visible, told once, holding nothing), completes once capacity is added, waits again when it is still full,
 * and is refunded past its deadline.
 */
class OrderCapacityWaitTest {

    private static final CapacityReservation RESERVED = new CapacityReservation("res-w", 1, 1042, 25565);

    private final SagaRig rig = new SagaRig();

    @AfterEach
    void close() {
        rig.close();
    }

    private OrderRequest waiting(String orderId, Duration maxWait) {
        rig.capacity.reserved(RESERVED);
        return order(orderId, PaymentMethod.TKCOINS).withReservation(RESERVED)
                .withWaitForCapacity(CapacityWait.upTo(maxWait));
    }

    /** Time stays locked meanwhile: the wait's timer cannot fire before the test looks. */
    private void awaitWaiting(String orderId, int creates) {
        eventually(() -> rig.journal.count("panel.createServer:") == creates
                && rig.progress(orderId).status() == OrderStatus.WAITING_FOR_CAPACITY
                && rig.journal.count("notify.event:WAITING_FOR_CAPACITY") == 1
                && rig.journal.count("notify.email:WAITING_FOR_CAPACITY") == 1
                && rig.store.statusWrites().stream().filter(w -> w.status() == OrderStatus.WAITING_FOR_CAPACITY)
                .count() == creates);
    }

    private OrderProvisioningWorkflow stub(String orderId) {
        return rig.client.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId(orderId));
    }

    @Test
    void aRefusedOrderWaitsHoldingNothingAndCompletesWhenCapacityIsAdded() {
        rig.panel.noCapacity = true;
        rig.start(waiting("w-ok", Duration.ofHours(6)));
        awaitWaiting("w-ok", 1);

        OrderProgress progress = rig.progress("w-ok");
        assertEquals("waitForCapacity", progress.currentStep());
        assertEquals("NO_CAPACITY", CustomerReason.of(progress.reason()).code(), progress.reason());
        assertTrue(rig.store.statusWrites().stream().anyMatch(w -> w.status() == OrderStatus.WAITING_FOR_CAPACITY),
                "recorded in the store for operators to list");
        assertEquals(1, rig.journal.count("notify.email:WAITING_FOR_CAPACITY"));
        assertTrue(rig.capacity.held().isEmpty(), "no reservation is held while waiting");
        assertEquals(1, rig.journal.count("capacity.release:res-w:undone"), rig.journal.entries().toString());
        assertEquals(9_500, rig.payments.balance(CUSTOMER), "charged once, not refunded while waiting");

        rig.panel.noCapacity = false;
        rig.capacity.movesTo = 2077;
        stub("w-ok").capacityAdded();
        OrderResult result = rig.resultOf("w-ok");

        assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
        assertFalse(result.refunded());
        assertEquals(9_500, rig.payments.balance(CUSTOMER));
        assertEquals(1, rig.payments.debitCount());
        assertEquals(1, rig.journal.count("capacity.retake:res-w"), "room taken afresh after the wait");
        assertEquals(2077, rig.panel.specOf(OrderIds.externalId("w-ok")).allocationId(), "placed on the new room");
        assertEquals(1, rig.journal.count("capacity.release:res-w:placed"));
        assertTrue(rig.capacity.held().isEmpty());
        assertEquals(1, rig.journal.count("notify.email:WAITING_FOR_CAPACITY"), "told once");
        assertEquals(1, rig.journal.count("notify.email:ACTIVE"));
        StepRecord wait = result.timeline().stream().filter(s -> s.name().equals("waitForCapacity")).findFirst()
                .orElseThrow(() -> new AssertionError("waitForCapacity in the timeline: " + result.timeline()));
        assertEquals(StepState.DONE, wait.state());
        List<OrderStatus> written = rig.store.statusWrites().stream().map(FakeStore.StatusWrite::status).toList();
        assertEquals(List.of(OrderStatus.WAITING_FOR_CAPACITY, OrderStatus.PROCESSING, OrderStatus.ACTIVE), written);
        // The second try is a child of its own: the first one's id is closed and keeps its history.
        assertFalse(rig.running(ProvisionServerWorkflow.workflowId("w-ok", 1, 2)));
        assertEquals(ProvisionServerWorkflow.workflowId("w-ok", 1), ProvisionServerWorkflow.workflowId("w-ok", 1, 1));
    }

    @Test
    void capacityAddedWhileStillFullWaitsAgainUntilThereIsRoom() {
        rig.panel.noCapacity = true;
        rig.start(waiting("w-again", Duration.ofHours(6)));
        awaitWaiting("w-again", 1);

        stub("w-again").capacityAdded();
        awaitWaiting("w-again", 2);
        assertEquals(1, rig.journal.count("capacity.retake:res-w"));
        assertEquals(2, rig.journal.count("capacity.release:res-w:undone"), "the retaken room is given back too");
        assertTrue(rig.capacity.held().isEmpty());
        assertEquals(1, rig.journal.count("notify.email:WAITING_FOR_CAPACITY"), "told once, not per try");
        assertEquals(0, rig.journal.count("payments.refund:"));

        rig.panel.noCapacity = false;
        stub("w-again").capacityAdded();
        OrderResult result = rig.resultOf("w-again");

        assertEquals(OrderStatus.ACTIVE, result.status(), result.reason());
        assertEquals(3, rig.journal.count("panel.createServer:"));
        assertEquals(1, rig.payments.debitCount());
        assertEquals(9_500, rig.payments.balance(CUSTOMER));
    }

    @Test
    void pastItsDeadlineTheWaitingOrderIsRefunded() {
        rig.panel.noCapacity = true;
        long startedAt = rig.env.currentTimeMillis();
        OrderResult result = rig.run(waiting("w-late", Duration.ofHours(2)));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertTrue(result.refunded());
        assertEquals("NO_CAPACITY", CustomerReason.of(result.reason()).code(), result.reason());
        assertTrue(result.reason().contains("within the order's wait of 7200s"), result.reason());
        assertTrue(rig.env.currentTimeMillis() - startedAt >= Duration.ofHours(2).toMillis(), "waited until then");
        assertEquals(10_000, rig.payments.balance(CUSTOMER), "refunded");
        assertTrue(rig.panel.servers().isEmpty());
        assertTrue(rig.capacity.held().isEmpty());
        assertEquals(1, rig.journal.count("notify.email:WAITING_FOR_CAPACITY"));
        assertEquals(1, rig.journal.count("notify.email:REFUNDED"));
        StepRecord wait = result.timeline().stream().filter(s -> s.name().equals("waitForCapacity")).findFirst()
                .orElseThrow();
        assertEquals(StepState.FAILED, wait.state());
        assertEquals(OrderStatus.REFUNDED,
                rig.store.statusWrites().get(rig.store.statusWrites().size() - 1).status());
    }

    @Test
    void aCancelledWaitingOrderIsRefunded() {
        rig.panel.noCapacity = true;
        rig.start(waiting("w-cancel", Duration.ofHours(6)));
        awaitWaiting("w-cancel", 1);

        stub("w-cancel").cancel("found another host");
        // Settled before time may skip (see OrderProvisioningWorkflowTest#awaitSettledWithTimeLocked): the wait's
        // timer is cancelled by this task.
        eventually(() -> rig.store.statusWrites().stream().anyMatch(w -> w.status().terminal()));
        OrderResult result = rig.resultOf("w-cancel");

        assertEquals(OrderStatus.CANCELLED, result.status(), result.reason());
        assertTrue(result.refunded());
        assertEquals(10_000, rig.payments.balance(CUSTOMER));
        assertTrue(rig.capacity.held().isEmpty());
    }

    @Test
    void withoutConsentARefusalAfterTheChargeRefundsAtOnce() {
        rig.panel.noCapacity = true;
        rig.capacity.reserved(RESERVED);
        OrderResult result = rig.run(order("w-no", PaymentMethod.TKCOINS).withReservation(RESERVED));

        assertEquals(OrderStatus.REFUNDED, result.status(), result.reason());
        assertEquals(0, rig.journal.count("notify.email:WAITING_FOR_CAPACITY"));
        assertTrue(result.timeline().stream().noneMatch(s -> s.name().equals("waitForCapacity")));
        assertTrue(rig.store.statusWrites().stream().noneMatch(w -> w.status() == OrderStatus.WAITING_FOR_CAPACITY));
    }
}
