package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.order.PlanPorts;
import com.admintk.orchestrator.order.PlanSnapshot;

import java.util.List;

/**
 * What one server of a plan takes on a node: memory and disk (MiB), where it may go, which ports it may use, and how
 * many free allocations in those ports ({@code allocations}, at least 1; 0 in demands recorded before it means 1).
 */
public record CapacityDemand(String planId, int memory, int disk, List<Integer> locationIds, List<String> portRanges,
                             int allocations) {

    public CapacityDemand(String planId, int memory, int disk, List<Integer> locationIds, List<String> portRanges) {
        this(planId, memory, disk, locationIds, portRanges, 1);
    }

    public static CapacityDemand of(PlanSnapshot plan) {
        return new CapacityDemand(plan.planId(), plan.limits().memory(), plan.limits().disk(),
                plan.locationIds() == null ? List.of() : List.copyOf(plan.locationIds()),
                plan.portRanges() == null ? List.of() : List.copyOf(plan.portRanges()),
                PlanPorts.allocationsOf(plan.ports()));
    }

    /** Allocations one server takes. */
    public int allocationCount() {
        return Math.max(1, allocations);
    }
}
