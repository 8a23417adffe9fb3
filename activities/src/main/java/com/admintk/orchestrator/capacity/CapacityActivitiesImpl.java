package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.pterodactyl.PanelException;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PanelRegions;
import io.micronaut.context.annotation.Requires;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;

import java.util.Optional;

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
        return inRegion(reservation.region(), demand, Capacity::hold, reservation, "no node has room for plan "
                + demand.planId() + " in locations " + demand.locationIds() + " of its region any more");
    }

    @Override
    public CapacityReservation repickAllocations(CapacityReservation reservation, CapacityDemand demand) {
        return inRegion(reservation.region(), demand, Capacity::repick, reservation, "node " + reservation.nodeId()
                + " has too few free allocations for plan " + demand.planId() + " (" + demand.allocationCount()
                + " needed)");
    }

    @Override
    public CapacityReservation retakeReservation(CapacityReservation released, CapacityDemand demand) {
        return inRegion(released.region(), demand, Capacity::retake, released, "still no node has room for plan "
                + demand.planId() + " in locations " + demand.locationIds());
    }

    private interface RoomCall {
        Optional<CapacityReservation> apply(Capacity capacity, CapacityReservation reservation, CapacityDemand demand);
    }

    /**
     * One call on the reservation's region's capacity, with the plan placed on that region's locations. No room:
     * {@link PanelFailures#NO_CAPACITY} saying {@code noRoom}; the panel unreadable or the region not configured:
     * retryable.
     */
    private CapacityReservation inRegion(String region, CapacityDemand demand, RoomCall call,
                                         CapacityReservation reservation, String noRoom) {
        try {
            return call.apply(capacity.in(region), reservation, capacity.demandIn(region, demand))
                    .orElseThrow(() -> ApplicationFailure.newFailure(noRoom, PanelFailures.NO_CAPACITY));
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
