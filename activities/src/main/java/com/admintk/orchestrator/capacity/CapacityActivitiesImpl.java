package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.pterodactyl.PanelException;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import io.micronaut.context.annotation.Requires;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;

/** Thin adapter over {@link Capacity}: a sold-out answer becomes {@link PanelFailures#NO_CAPACITY}. */
@Singleton
@Requires(beans = Capacity.class)
public class CapacityActivitiesImpl implements CapacityActivities {

    private final Capacity capacity;

    public CapacityActivitiesImpl(Capacity capacity) {
        this.capacity = capacity;
    }

    @Override
    public CapacityReservation holdReservation(CapacityReservation reservation, CapacityDemand demand) {
        try {
            return capacity.hold(reservation, demand).orElseThrow(() -> ApplicationFailure.newFailure(
                    "no node has room for plan " + demand.planId() + " in locations " + demand.locationIds()
                            + " any more", PanelFailures.NO_CAPACITY));
        } catch (PanelException panelDown) {
            throw ApplicationFailure.newFailureWithCause("capacity could not be read from the panel: "
                    + panelDown.getMessage(), PanelFailures.UNAVAILABLE, panelDown);
        }
    }

    @Override
    public CapacityReservation repickAllocations(CapacityReservation reservation, CapacityDemand demand) {
        try {
            return capacity.repick(reservation, demand).orElseThrow(() -> ApplicationFailure.newFailure(
                    "node " + reservation.nodeId() + " has too few free allocations for plan " + demand.planId()
                            + " (" + demand.allocationCount() + " needed)", PanelFailures.NO_CAPACITY));
        } catch (PanelException panelDown) {
            throw ApplicationFailure.newFailureWithCause("the node's allocations could not be read from the panel: "
                    + panelDown.getMessage(), PanelFailures.UNAVAILABLE, panelDown);
        }
    }

    @Override
    public CapacityReservation retakeReservation(CapacityReservation released, CapacityDemand demand) {
        try {
            return capacity.retake(released, demand).orElseThrow(() -> ApplicationFailure.newFailure(
                    "still no node has room for plan " + demand.planId() + " in locations " + demand.locationIds(),
                    PanelFailures.NO_CAPACITY));
        } catch (PanelException panelDown) {
            throw ApplicationFailure.newFailureWithCause("capacity could not be read from the panel: "
                    + panelDown.getMessage(), PanelFailures.UNAVAILABLE, panelDown);
        }
    }

    @Override
    public void releaseReservation(String reservationId, int nodeId, boolean serverPlaced) {
        capacity.release(reservationId, nodeId, serverPlaced);
    }
}
