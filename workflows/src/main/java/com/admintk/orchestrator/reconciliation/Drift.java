package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.pterodactyl.ServerSpec;

/**
 * One disagreement found by {@link DriftFinder}, with the repair the policy allows for it.
 *
 * @param panelServerId null when the server is not on the panel
 * @param serverId      our server id, null for a panel server no record names
 * @param repair        what to do about it; {@link Repair#NONE} when the policy allows nothing
 * @param build         for {@link Repair#APPLY_PLAN_LIMITS}: the panel's allocation with the plan's limits
 */
public record Drift(DriftKind kind,
                    String externalId,
                    Integer panelServerId,
                    String serverId,
                    String detail,
                    Repair repair,
                    PlanBuild build) {

    public enum Repair { NONE, SUSPEND, UNSUSPEND, APPLY_PLAN_LIMITS, DELETE_ORPHAN }

    /** A panel build: the allocation stays the server's own, limits come from the plan. */
    public record PlanBuild(int allocationId, ServerSpec.Limits limits, ServerSpec.FeatureLimits featureLimits) {
    }
}
