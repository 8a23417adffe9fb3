package com.admintk.orchestrator.plan;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

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
