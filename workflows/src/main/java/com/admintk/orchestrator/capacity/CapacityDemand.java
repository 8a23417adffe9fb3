package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.order.PlanSnapshot;

import java.util.List;

/** What one server of a plan takes on a node: memory and disk (MiB), where it may go, which ports it may use. */
public record CapacityDemand(String planId, int memory, int disk, List<Integer> locationIds, List<String> portRanges) {

    public static CapacityDemand of(PlanSnapshot plan) {
        return new CapacityDemand(plan.planId(), plan.limits().memory(), plan.limits().disk(),
                plan.locationIds() == null ? List.of() : List.copyOf(plan.locationIds()),
                plan.portRanges() == null ? List.of() : List.copyOf(plan.portRanges()));
    }
}
