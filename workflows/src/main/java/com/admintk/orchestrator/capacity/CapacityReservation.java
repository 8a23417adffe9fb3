package com.admintk.orchestrator.capacity;

import java.util.ArrayList;
import java.util.List;

/**
 * Room held on one node for one checkout, taken before any money moves: the node and the free allocation (port) the
 * server will be created on, and for a plan with several ports the additional allocations and their ports, in the
 * order the plan maps them ({@code additionalAllocationIds}/{@code additionalPorts}; null or empty for none).
 * {@code reservationId} is the key every hold and release of it carries. {@code region} is the panel the node
 * belongs to (null: the default region, as for reservations taken before regions).
 */
public record CapacityReservation(String reservationId, int nodeId, int allocationId, int port,
                                  List<Integer> additionalAllocationIds, List<Integer> additionalPorts,
                                  String region) {

    /** The shape recorded before several ports and regions: one allocation, the default region. */
    public CapacityReservation(String reservationId, int nodeId, int allocationId, int port) {
        this(reservationId, nodeId, allocationId, port, null, null, null);
    }

    /** One allocation in {@code region}. */
    public CapacityReservation(String reservationId, int nodeId, int allocationId, int port, String region) {
        this(reservationId, nodeId, allocationId, port, null, null, region);
    }

    /** Several allocations in the default region. */
    public CapacityReservation(String reservationId, int nodeId, int allocationId, int port,
                               List<Integer> additionalAllocationIds, List<Integer> additionalPorts) {
        this(reservationId, nodeId, allocationId, port, additionalAllocationIds, additionalPorts, null);
    }

    /**
     * A reservation to take in the saga, for an order that reached it without one (the checkout could not read the
     * panel or Redis): holding it finds nothing under its id on node 0 and takes room as a checkout would.
     */
    public static CapacityReservation toTake(String reservationId, String region) {
        return new CapacityReservation(reservationId, 0, 0, 0, region);
    }

    /** True when it holds room (not a {@link #toTake} placeholder). */
    public boolean placed() {
        return nodeId > 0 && allocationId > 0;
    }

    public List<Integer> additional() {
        return additionalAllocationIds == null ? List.of() : additionalAllocationIds;
    }

    /** The same room in {@code region}. */
    public CapacityReservation inRegion(String region) {
        return new CapacityReservation(reservationId, nodeId, allocationId, port, additionalAllocationIds,
                additionalPorts, region);
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
