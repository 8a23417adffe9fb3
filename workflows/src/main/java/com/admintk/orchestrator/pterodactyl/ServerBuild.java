package com.admintk.orchestrator.pterodactyl;

/**
 * A server's build on the panel: its default allocation and its limits. What a plan change patches (and restores
 * when the change is not paid), and what reconciliation compares with the plan.
 */
public record ServerBuild(int allocationId, ServerSpec.Limits limits, ServerSpec.FeatureLimits featureLimits) {
}
