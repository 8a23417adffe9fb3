package com.admintk.orchestrator.reconciliation;

import java.util.List;
import java.util.Map;

/**
 * The outcome of one pass, stored for operators ({@code GET /api/v1/admin/reconciliation/reports}).
 *
 * @param id       one per pass, stable across retries of the activity that stores it
 * @param requests the "run now" requests this pass answers
 * @param counts   drift found, per kind (every kind present, zeros included)
 * @param region   the panel (region) compared; null is the default region
 */
public record ReconciliationReport(String id,
                                   long startedAtMillis,
                                   long finishedAtMillis,
                                   int panelServers,
                                   int storeServers,
                                   boolean repairEnabled,
                                   boolean deleteOrphansEnabled,
                                   List<String> requests,
                                   Map<DriftKind, Integer> counts,
                                   List<Item> items,
                                   String region) {

    /** The shape saved before regions: the default region's report. */
    public ReconciliationReport(String id, long startedAtMillis, long finishedAtMillis, int panelServers,
                                int storeServers, boolean repairEnabled, boolean deleteOrphansEnabled,
                                List<String> requests, Map<DriftKind, Integer> counts, List<Item> items) {
        this(id, startedAtMillis, finishedAtMillis, panelServers, storeServers, repairEnabled, deleteOrphansEnabled,
                requests, counts, items, null);
    }

    /**
     * @param repair   the repair tried, {@code NONE} when none was allowed
     * @param repaired whether the repair was made
     * @param error    why the repair failed, null otherwise
     */
    public record Item(DriftKind kind, String externalId, Integer panelServerId, String serverId, String detail,
                       Drift.Repair repair, boolean repaired, String error) {
    }
}
