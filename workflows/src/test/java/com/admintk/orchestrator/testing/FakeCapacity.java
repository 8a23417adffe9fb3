package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.capacity.CapacityActivities;
import com.admintk.orchestrator.capacity.CapacityDemand;
import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import io.temporal.failure.ApplicationFailure;

import java.util.HashMap;
import java.util.Map;

/** Reservations in memory: held ones by id, and what each release said. */
public class FakeCapacity implements CapacityActivities {

    private final Journal journal;
    private final Map<String, CapacityReservation> held = new HashMap<>();
    /** The reservation lapsed and the room is gone: the next hold is sold out. */
    public volatile boolean soldOut;
    /** The reservation lapsed and is taken again on another allocation. */
    public volatile Integer movesTo;

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
        CapacityReservation now = movesTo == null ? reservation
                : new CapacityReservation(reservation.reservationId(), 2, movesTo, 25600);
        held.put(now.reservationId(), now);
        return now;
    }

    @Override
    public synchronized void releaseReservation(String reservationId, int nodeId, boolean serverPlaced,
                                                String region) {
        journal.add("capacity.release:" + reservationId + ":" + (serverPlaced ? "placed" : "undone"));
        journal.add("capacity.releasedIn:" + (region == null ? "default" : region));
        held.remove(reservationId);
    }
}
