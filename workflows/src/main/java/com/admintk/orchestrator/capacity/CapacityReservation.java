package com.admintk.orchestrator.capacity;

import java.util.ArrayList;
import java.util.List;

/**
 * Room held on one node for one checkout, taken before any money moves: the node and the free allocation (port) the
 * server will be created on, and for a plan with several ports the additional allocations and their ports, in the
 * order the plan maps them ({@code additionalAllocationIds}/{@code additionalPorts}; null or empty for none).
 * {@code reservationId} is the key every hold and release of it carries.
 */
public record CapacityReservation(String reservationId, int nodeId, int allocationId, int port,
                                  List<Integer> additionalAllocationIds, List<Integer> additionalPorts) {

    public CapacityReservation(String reservationId, int nodeId, int allocationId, int port) {
        this(reservationId, nodeId, allocationId, port, null, null);
    }

    /**
     * A reservation to take in the saga, for an order that reached it without one (the checkout could not read the
     * panel or Redis): holding it finds nothing under its id on node 0 and takes room as a checkout would.
     */
    public static CapacityReservation toTake(String reservationId) {
        return new CapacityReservation(reservationId, 0, 0, 0);
    }

    /** True when it holds room (not a {@link #toTake} placeholder). */
    public boolean placed() {
        return nodeId > 0 && allocationId > 0;
    }

    public List<Integer> additional() {
        return additionalAllocationIds == null ? List.of() : additionalAllocationIds;
    }

    /** The default allocation's port, then the additional ones', as {@code PlanPorts} indexes them. */
    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        ports.add(port);
        if (additionalPorts != null) {
            ports.addAll(additionalPorts);
        }
        return ports;
    }
}
