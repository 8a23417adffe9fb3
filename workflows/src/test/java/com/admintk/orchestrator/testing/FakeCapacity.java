package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.capacity.CapacityActivities;
import com.admintk.orchestrator.capacity.CapacityDemand;
import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import io.temporal.failure.ApplicationFailure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reservations in memory: held ones by id, and what each release said. */
public class FakeCapacity implements CapacityActivities {

    private final Journal journal;
    private final Map<String, CapacityReservation> held = new HashMap<>();
    /** The reservation lapsed and the room is gone: the next hold is sold out. */
    public volatile boolean soldOut;
    /** The reservation lapsed and is taken again on another allocation. */
    public volatile Integer movesTo;
    /** A repick finds no free allocations left on the node. */
    public volatile boolean noFreeAllocations;

    public FakeCapacity(Journal journal) {
        this.journal = journal;
    }

    public synchronized void reserved(CapacityReservation reservation) {
        held.put(reservation.reservationId(), reservation);
    }

    public synchronized Map<String, CapacityReservation> held() {
        return Map.copyOf(held);
    }

    @Override
    public synchronized CapacityReservation holdReservation(CapacityReservation reservation, CapacityDemand demand) {
        journal.add("capacity.hold:" + reservation.reservationId());
        if (soldOut) {
            held.remove(reservation.reservationId());
            throw ApplicationFailure.newFailure("no node has room for " + demand.planId(), PanelFailures.NO_CAPACITY);
        }
        CapacityReservation now = !reservation.placed() ? pick(reservation, demand)
                : movesTo == null ? reservation
                : new CapacityReservation(reservation.reservationId(), 2, movesTo, 25600);
        held.put(now.reservationId(), now);
        return now;
    }

    /** Where a repick moves a reservation to: the next free ids from 3000 up, ports from 28100 up. */
    private int nextFree = 3000;

    @Override
    public synchronized CapacityReservation repickAllocations(CapacityReservation reservation, CapacityDemand demand) {
        journal.add("capacity.repick:" + reservation.reservationId());
        if (soldOut || noFreeAllocations) {
            held.remove(reservation.reservationId());
            throw ApplicationFailure.newFailure("no free allocations left for " + demand.planId(),
                    PanelFailures.NO_CAPACITY);
        }
        CapacityReservation now = pick(reservation, demand);
        held.put(now.reservationId(), now);
        return now;
    }

    /** Like the real one, room on another allocation when {@link #movesTo} says so, else the same one again. */
    @Override
    public synchronized CapacityReservation retakeReservation(CapacityReservation released, CapacityDemand demand) {
        journal.add("capacity.retake:" + released.reservationId());
        if (soldOut) {
            throw ApplicationFailure.newFailure("no node has room for " + demand.planId(), PanelFailures.NO_CAPACITY);
        }
        CapacityReservation now = movesTo == null ? released
                : new CapacityReservation(released.reservationId(), 2, movesTo, 25600);
        held.put(now.reservationId(), now);
        return now;
    }

    private CapacityReservation pick(CapacityReservation reservation, CapacityDemand demand) {
        List<Integer> ids = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < demand.allocationCount(); i++) {
            ids.add(nextFree);
            ports.add(28100 + nextFree - 3000);
            nextFree++;
        }
        return new CapacityReservation(reservation.reservationId(), Math.max(1, reservation.nodeId()),
                ids.get(0), ports.get(0), List.copyOf(ids.subList(1, ids.size())),
                List.copyOf(ports.subList(1, ports.size())));
    }

    @Override
    public synchronized void releaseReservation(String reservationId, int nodeId, boolean serverPlaced,
                                                String region) {
        journal.add("capacity.release:" + reservationId + ":" + (serverPlaced ? "placed" : "undone"));
        journal.add("capacity.releasedIn:" + (region == null ? "default" : region));
        held.remove(reservationId);
    }
}
