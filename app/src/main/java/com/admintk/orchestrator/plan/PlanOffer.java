package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.PlanPorts;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan for sale as {@code GET /api/v1/plans} shows it: the plan, and how many more of its servers fit right now.
 *
 * @param ports        several allocations per server and the egg variables that carry their ports; null: one
 * @param availability null when the panel could not be read; the checkout then decides
 */
@Serdeable
public record PlanOffer(String id,
                        String name,
                        String description,
                        int nestId,
                        int eggId,
                        String dockerImage,
                        String startup,
                        Map<String, String> environment,
                        ServerSpec.Limits limits,
                        ServerSpec.FeatureLimits featureLimits,
                        List<Integer> locationIds,
                        List<String> portRanges,
                        long priceCoins,
                        long priceAmountMinor,
                        String currency,
                        BillingCycle billingCycle,
                        boolean active,
                        @Nullable Set<String> secretVariables,
                        @Nullable PlanPorts ports,
                        @Nullable Availability availability) {

    /**
     * @param available   at least one more server fits somewhere
     * @param servers     how many more servers of the plan fit, over all its locations
     * @param locations   the same per location
     * @param asOf        when the panel's figures were read at the latest (they are cached for a few seconds)
     */
    @Serdeable
    public record Availability(boolean available, long servers, List<LocationAvailability> locations, String asOf) {
    }

    @Serdeable
    public record LocationAvailability(int locationId, long servers, boolean available) {
    }

    static PlanOffer of(Plan plan, @Nullable Availability availability) {
        return new PlanOffer(plan.id(), plan.name(), plan.description(), plan.nestId(), plan.eggId(),
                plan.dockerImage(), plan.startup(), plan.environment(), plan.limits(), plan.featureLimits(),
                plan.locationIds(), plan.portRanges(), plan.priceCoins(), plan.priceAmountMinor(), plan.currency(),
                plan.billingCycle(), plan.active(), plan.secretVariables(), plan.ports(), availability);
    }
}
