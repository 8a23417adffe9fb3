package com.admintk.orchestrator.reconciliation;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The panel side of reconciliation, on the {@code pterodactyl} task queue under the global panel rate limit. One
 * panel call per method (the list pages internally); each write is idempotent. Names differ from
 * {@code PterodactylActivities}' because both are registered on the same worker. Each takes the region (panel) it
 * calls last: null is the default region, as in loops started before regions.
 */
@ActivityInterface
public interface ReconciliationPanelActivities {

    /** Every server on the panel, reduced to what the comparison needs. */
    @ActivityMethod
    PanelInventory listPanelServers(String region);

    /** Suspends a server the store says is suspended. A no-op on a suspended server. */
    @ActivityMethod
    void reapplySuspension(int panelServerId, String region);

    /** Lifts a suspension the store does not have. A no-op on a server that is not suspended. */
    @ActivityMethod
    void liftStraySuspension(int panelServerId, String region);

    /** Sets the server's build to the plan's limits, keeping its allocation. */
    @ActivityMethod
    void reapplyPlanLimits(int panelServerId, Drift.PlanBuild build, String region);

    /** Deletes an orphan (normal delete: a dead node leaves it for the next pass). False when it was gone. */
    @ActivityMethod
    boolean deleteOrphan(int panelServerId, String region);
}
