package com.admintk.orchestrator.capacity;

/**
 * Room held on one node for one checkout, taken before any money moves: the node and the free allocation (port) the
 * server will be created on. {@code reservationId} is the key every hold and release of it carries.
 */
public record CapacityReservation(String reservationId, int nodeId, int allocationId, int port) {
}
