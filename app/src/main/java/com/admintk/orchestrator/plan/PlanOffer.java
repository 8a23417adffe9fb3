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
 * @param regions      the regions the plan is sold in (a checkout may name one)
 * @param availability null when no region's panel could be read; the checkout then decides
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
                        List<String> regions,
                        @Nullable Availability availability) {

    /**
     * @param available   at least one more server fits somewhere
     * @param servers     how many more servers of the plan fit, over all its locations
     * @param locations   the same per location (each naming its region: location ids are per panel)
     * @param asOf        when the panel's figures were read at the latest (they are cached for a few seconds)
     * @param regions     the same per region; a region whose panel could not be read is left out
     */
    @Serdeable
    public record Availability(boolean available, long servers, List<LocationAvailability> locations, String asOf,
                               List<RegionAvailability> regions) {
    }

    @Serdeable
    public record LocationAvailability(int locationId, long servers, boolean available, String region) {
    }

    @Serdeable
    public record RegionAvailability(String region, boolean available, long servers,
                                     List<LocationAvailability> locations, String asOf) {
    }

    static PlanOffer of(Plan plan, List<String> regions, @Nullable Availability availability) {
        return new PlanOffer(plan.id(), plan.name(), plan.description(), plan.nestId(), plan.eggId(),
                plan.dockerImage(), plan.startup(), plan.environment(), plan.limits(), plan.featureLimits(),
                plan.locationIds(), plan.portRanges(), plan.priceCoins(), plan.priceAmountMinor(), plan.currency(),
                plan.billingCycle(), plan.active(), plan.secretVariables(), plan.ports(), regions, availability);
    }
}
