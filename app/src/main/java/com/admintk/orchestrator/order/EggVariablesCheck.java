package com.admintk.orchestrator.order;

import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.pterodactyl.EggVariables;
import io.micronaut.http.HttpStatus;

import java.util.Map;
import java.util.TreeMap;

/**
 * Checkout refuses game settings that break the egg's rules before anything is stored or charged. It holds them to
 * the egg snapshot the plan keeps, so the api role never calls the panel; a plan without one is checked by the
 * order's workflow, against the panel, still before the charge.
 */
final class EggVariablesCheck {

    static final String CODE = "EGG_VARIABLES_INVALID";

    private EggVariablesCheck() {
    }

    static void requireValid(Plan plan, Map<String, String> chosen) {
        if (plan.egg() == null) {
            return;
        }
        var resolution = EggVariables.resolve(plan.egg(), plan.environment(), chosen);
        if (resolution.valid()) {
            return;
        }
        Map<String, String> byVariable = new TreeMap<>();
        resolution.refusals().forEach(refusal ->
                byVariable.merge(refusal.variable(), refusal.problem(), (first, next) -> first + "; " + next));
        throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, CODE,
                "Some game settings are not accepted: " + String.join("; ", resolution.problems()),
                Map.of("field", "eggVariables", "variables", byVariable));
    }
}
