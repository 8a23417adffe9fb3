package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.pterodactyl.PanelRegions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Capacity per region: each region's panel has its own nodes, so room is read and reserved per region. A checkout
 * that names no region gets the plan's region with the most room.
 */
public class RegionalCapacity {

    private final PanelRegions regions;
    private final Map<String, Capacity> byRegion = new LinkedHashMap<>();

    public RegionalCapacity(PanelRegions regions, Map<String, Capacity> byRegion) {
        this.regions = regions;
        this.byRegion.putAll(byRegion);
    }

    /** @throws PanelRegions.UnknownRegion when the region is not configured */
    public Capacity in(String region) {
        Capacity capacity = byRegion.get(regions.nameOf(region));
        if (capacity == null) {
            throw new PanelRegions.UnknownRegion(region);
        }
        return capacity;
    }

    /** The plan's demand in a region: placed on that region's locations. */
    public CapacityDemand demandIn(String region, CapacityDemand plan) {
        return new CapacityDemand(plan.planId(), plan.memory(), plan.disk(),
                regions.locationsFor(region, plan.locationIds()), plan.portRanges(), plan.allocations());
    }

    /** How many more servers of the plan fit in the region. */
    public Capacity.Availability availability(String region, CapacityDemand plan) {
        return in(region).availability(demandIn(region, plan));
    }

    /** Takes room in the region. Empty: sold out there. */
    public Optional<CapacityReservation> reserve(String region, String reservationId, CapacityDemand plan) {
        return in(region).reserve(reservationId, demandIn(region, plan));
    }

    /**
     * The region of {@code candidates} with the most room for one more server of the plan (capacity's view: the
     * cached panel figures minus live reservations); ties go to the earlier candidate. Empty when none has room.
     * A region whose panel cannot be read is passed over, unless none could be read (then the failure is thrown).
     */
    public Optional<String> roomiest(List<String> candidates, CapacityDemand plan) {
        String best = null;
        long most = 0;
        RuntimeException unread = null;
        int read = 0;
        for (String region : candidates) {
            long servers;
            try {
                servers = availability(region, plan).servers();
                read++;
            } catch (RuntimeException panelDown) {
                unread = panelDown;
                continue;
            }
            if (servers > most) {
                most = servers;
                best = region;
            }
        }
        if (read == 0 && unread != null) {
            throw unread;
        }
        return Optional.ofNullable(best);
    }

    public void release(String region, String reservationId, int nodeId, boolean serverPlaced) {
        in(region).release(reservationId, nodeId, serverPlaced);
    }

    /** Every region's capacity, the default first. */
    public Map<String, Capacity> all() {
        return Map.copyOf(byRegion);
    }
}
