package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.capacity.Capacity;
import com.admintk.orchestrator.capacity.RegionalCapacity;
import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.capacity.CapacityDemand;
import com.admintk.orchestrator.order.PlanPorts;
import com.admintk.orchestrator.pterodactyl.PanelException;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.SerdeImport;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

// The limits are workflow records (Temporal SDK only, no Micronaut): without these imports GET /plans answered 500.
@SerdeImport(ServerSpec.Limits.class)
@SerdeImport(ServerSpec.FeatureLimits.class)
@SerdeImport(PlanPorts.class)
@Controller("/api/v1/plans")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "plans")
public class PlanController {

    private static final Logger LOG = LoggerFactory.getLogger(PlanController.class);

    private final PlanCatalog plans;
    private final RegionalCapacity capacity;
    private final PanelRegions regions;

    public PlanController(PlanCatalog plans, RegionalCapacity capacity, PanelRegions regions) {
        this.plans = plans;
        this.capacity = capacity;
        this.regions = regions;
    }

    @Operation(summary = "The plans for sale, cheapest first, each with the regions it is sold in and how many more of"
            + " its servers fit per region and location (the panels' figures are cached for a few seconds; a plan with"
            + " 0 in a region answers checkouts there 409 SOLD_OUT).")
    @Get
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public List<PlanOffer> list() {
        return plans.listActive().stream().map(plan -> {
            List<String> soldIn = plan.regionsOr(regions.defaultRegion()).stream().filter(regions::known)
                    .map(regions::nameOf).toList();
            return PlanOffer.of(plan, soldIn, availability(plan, soldIn));
        }).toList();
    }

    /**
     * Per region, then summed. A panel that cannot be read leaves its region out; none readable leaves the
     * availability out, and the catalogue itself is still served.
     */
    private PlanOffer.Availability availability(Plan plan, List<String> soldIn) {
        List<PlanOffer.RegionAvailability> perRegion = new ArrayList<>();
        for (String region : soldIn) {
            try {
                Capacity.Availability room = capacity.availability(region, CapacityDemand.of(plan.snapshot()));
                perRegion.add(new PlanOffer.RegionAvailability(region, room.servers() > 0, room.servers(),
                        room.byLocation().entrySet().stream().map(e -> new PlanOffer.LocationAvailability(e.getKey(),
                                e.getValue(), e.getValue() > 0, region)).toList(), room.readAt().toString()));
            } catch (PanelException | io.lettuce.core.RedisException unknown) {
                LOG.warn("Availability of plan {} in region {} unknown: {}", plan.id(), region, unknown.getMessage());
            }
        }
        if (perRegion.isEmpty()) {
            return null;
        }
        long servers = perRegion.stream().mapToLong(PlanOffer.RegionAvailability::servers).sum();
        String asOf = perRegion.stream().map(PlanOffer.RegionAvailability::asOf).min(String::compareTo).orElseThrow();
        return new PlanOffer.Availability(servers > 0, servers, perRegion.stream()
                .flatMap(r -> r.locations().stream()).toList(), asOf, List.copyOf(perRegion));
    }
}
