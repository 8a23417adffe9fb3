package com.admintk.orchestrator.plan;

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

import java.util.List;

// The limits are workflow records (Temporal SDK only, no Micronaut): without these imports GET /plans answered 500.
@SerdeImport(ServerSpec.Limits.class)
@SerdeImport(ServerSpec.FeatureLimits.class)
@Controller("/api/v1/plans")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "plans")
public class PlanController {

    private final PlanCatalog plans;

    public PlanController(PlanCatalog plans) {
        this.plans = plans;
    }

    @Operation(summary = "The plans for sale, cheapest first.")
    @Get
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public List<Plan> list() {
        return plans.listActive();
    }
}
