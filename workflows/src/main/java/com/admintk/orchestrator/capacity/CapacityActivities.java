package com.admintk.orchestrator.capacity;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Reservations of room on the panel's nodes (taken at checkout, before the charge). Served on the
 * {@code pterodactyl} task queue: a hold that finds its reservation expired asks the panel again.
 */
@ActivityInterface
public interface CapacityActivities {

    /**
     * Keeps the reservation alive for another TTL. One that expired meanwhile (its saga's worker was gone longer
     * than the TTL) is taken again if the plan still fits, possibly on another node or allocation: the answer is the
     * reservation to create the server on. Nothing fits any more: fails with type
     * {@link com.admintk.orchestrator.pterodactyl.PanelFailures#NO_CAPACITY}.
     */
    @ActivityMethod
    CapacityReservation holdReservation(CapacityReservation reservation, CapacityDemand demand);

    /**
     * For a server of several ports whose create the panel refused because one of the reserved allocations was taken
     * meanwhile (outside the orchestrator): reads the node's free allocations again (one panel call) and moves the
     * reservation onto free ones that no other reservation holds, on the same node. A reservation that lapsed is
     * taken again as {@link #holdReservation} does. No room left: fails with type
     * {@link com.admintk.orchestrator.pterodactyl.PanelFailures#NO_CAPACITY}.
     */
    @ActivityMethod
    CapacityReservation repickAllocations(CapacityReservation reservation, CapacityDemand demand);

    /**
     * Takes room again for an order that waited for capacity after the panel refused its server: the panel is read
     * afresh (the figures that showed room were wrong), under the same reservation id. Nothing fits: fails with type
     * {@link com.admintk.orchestrator.pterodactyl.PanelFailures#NO_CAPACITY}.
     */
    @ActivityMethod
    CapacityReservation retakeReservation(CapacityReservation released, CapacityDemand demand);

    /**
     * Gives the room back. {@code serverPlaced}: the server now stands on the reserved allocation, so the
     * reservation stays counted a little longer, until the panel's cached figures are sure to show the server.
     * A no-op for a reservation that is gone. {@code region}: the reservation's panel (null: the default region).
     */
    @ActivityMethod
    void releaseReservation(String reservationId, int nodeId, boolean serverPlaced, String region);
}
