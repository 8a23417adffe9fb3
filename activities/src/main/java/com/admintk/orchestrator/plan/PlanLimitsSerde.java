package com.admintk.orchestrator.plan;

import com.admintk.orchestrator.pterodactyl.EggSpec;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.micronaut.serde.annotation.SerdeImport;

/**
 * A plan's limits are records of {@code workflows/}, which has no Micronaut, so they are imported for Serde here and
 * {@code GET /api/v1/plans} can write them. On its own holder: placed on {@link Plan}, the imports would replace
 * Plan's own introspection.
 */
@SerdeImport(ServerSpec.Limits.class)
@SerdeImport(ServerSpec.FeatureLimits.class)
@SerdeImport(EggSpec.class)
@SerdeImport(EggSpec.EggVariable.class)
final class PlanLimitsSerde {
    private PlanLimitsSerde() {
    }
}
