package com.admintk.orchestrator.capacity;

/**
 * Room held on one node for one checkout, taken before any money moves: the node and the free allocation (port) the
 * server will be created on. {@code reservationId} is the key every hold and release of it carries. {@code region}
 * is the panel the node belongs to (null: the default region, as for reservations taken before regions).
 */
public record CapacityReservation(String reservationId, int nodeId, int allocationId, int port, String region) {

    /** The shape recorded before regions: the default region. */
    public CapacityReservation(String reservationId, int nodeId, int allocationId, int port) {
        this(reservationId, nodeId, allocationId, port, null);
    }
}
