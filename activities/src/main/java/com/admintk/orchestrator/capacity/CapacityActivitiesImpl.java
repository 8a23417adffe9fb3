package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.pterodactyl.PanelException;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PanelRegions;
import io.micronaut.context.annotation.Requires;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;

/**
 * Thin adapter over the reservation's region's {@link Capacity}: a sold-out answer becomes
 * {@link PanelFailures#NO_CAPACITY}; a region that is not configured is retryable, like a panel that cannot be read.
 */
@Singleton
@Requires(beans = RegionalCapacity.class)
public class CapacityActivitiesImpl implements CapacityActivities {

    private final RegionalCapacity capacity;

    public CapacityActivitiesImpl(RegionalCapacity capacity) {
        this.capacity = capacity;
    }

    @Override
    public CapacityReservation holdReservation(CapacityReservation reservation, CapacityDemand demand) {
        try {
            Capacity region = capacity.in(reservation.region());
            return region.hold(reservation, capacity.demandIn(reservation.region(), demand))
                    .orElseThrow(() -> ApplicationFailure.newFailure("no node has room for plan " + demand.planId()
                            + " in locations " + demand.locationIds() + " of region " + region.region() + " any more",
                            PanelFailures.NO_CAPACITY));
        } catch (PanelException panelDown) {
            throw ApplicationFailure.newFailureWithCause("capacity could not be read from the panel: "
                    + panelDown.getMessage(), PanelFailures.UNAVAILABLE, panelDown);
        } catch (PanelRegions.UnknownRegion unknown) {
            throw ApplicationFailure.newFailure("panel " + unknown.getMessage(), PanelFailures.UNAVAILABLE);
        }
    }

    @Override
    public CapacityReservation repickAllocations(CapacityReservation reservation, CapacityDemand demand) {
        try {
            return capacity.in(reservation.region()).repick(reservation, capacity.demandIn(reservation.region(), demand))
                    .orElseThrow(() -> ApplicationFailure.newFailure("node " + reservation.nodeId()
                            + " has too few free allocations for plan " + demand.planId() + " ("
                            + demand.allocationCount() + " needed)", PanelFailures.NO_CAPACITY));
        } catch (PanelException panelDown) {
            throw ApplicationFailure.newFailureWithCause("the node's allocations could not be read from the panel: "
                    + panelDown.getMessage(), PanelFailures.UNAVAILABLE, panelDown);
        } catch (PanelRegions.UnknownRegion unknown) {
            throw ApplicationFailure.newFailure("panel " + unknown.getMessage(), PanelFailures.UNAVAILABLE);
        }
    }

    @Override
    public CapacityReservation retakeReservation(CapacityReservation released, CapacityDemand demand) {
        try {
            return capacity.in(released.region()).retake(released, capacity.demandIn(released.region(), demand))
                    .orElseThrow(() -> ApplicationFailure.newFailure("still no node has room for plan "
                            + demand.planId() + " in locations " + demand.locationIds(), PanelFailures.NO_CAPACITY));
        } catch (PanelException panelDown) {
            throw ApplicationFailure.newFailureWithCause("capacity could not be read from the panel: "
                    + panelDown.getMessage(), PanelFailures.UNAVAILABLE, panelDown);
        } catch (PanelRegions.UnknownRegion unknown) {
            throw ApplicationFailure.newFailure("panel " + unknown.getMessage(), PanelFailures.UNAVAILABLE);
        }
    }

    @Override
    public void releaseReservation(String reservationId, int nodeId, boolean serverPlaced, String region) {
        try {
            capacity.release(region, reservationId, nodeId, serverPlaced);
        } catch (PanelRegions.UnknownRegion unknown) {
            throw ApplicationFailure.newFailure("panel " + unknown.getMessage(), PanelFailures.UNAVAILABLE);
        }
    }
}
