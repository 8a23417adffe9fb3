package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.capacity.Capacity;
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
    private final Capacity capacity;

    public PlanController(PlanCatalog plans, Capacity capacity) {
        this.plans = plans;
        this.capacity = capacity;
    }

    @Operation(summary = "The plans for sale, cheapest first, each with how many more of its servers fit per location"
            + " (the panel's figures are cached for a few seconds; a plan with 0 answers checkouts 409 SOLD_OUT).")
    @Get
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public List<PlanOffer> list() {
        return plans.listActive().stream().map(plan -> PlanOffer.of(plan, availability(plan))).toList();
    }

    /** A panel that cannot be read leaves the availability out; the catalogue itself is still served. */
    private PlanOffer.Availability availability(Plan plan) {
        try {
            Capacity.Availability room = capacity.availability(CapacityDemand.of(plan.snapshot()));
            return new PlanOffer.Availability(room.servers() > 0, room.servers(), room.byLocation().entrySet()
                    .stream().map(e -> new PlanOffer.LocationAvailability(e.getKey(), e.getValue(), e.getValue() > 0))
                    .toList(), room.readAt().toString());
        } catch (PanelException | io.lettuce.core.RedisException unknown) {
            LOG.warn("Availability of plan {} unknown: {}", plan.id(), unknown.getMessage());
            return null;
        }
    }
}
