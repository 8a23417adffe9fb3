package com.admintk.orchestrator.reconciliation;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The store side of reconciliation, on the low-priority {@code maintenance} task queue: the worker's settings, the
 * server records, and the reports.
 */
@ActivityInterface
public interface ReconciliationActivities {

    /** The settings of the worker that runs the pass ({@code orchestrator.reconciliation.*}). */
    @ActivityMethod
    ReconciliationPolicy reconciliationPolicy();

    /**
     * Every server record of the region with its plan's limits, and the external ids of orders still provisioning
     * (every region's: an external id is unique across regions). {@code region} null is the default region, whose
     * records include those stored before regions.
     */
    @ActivityMethod
    StoreInventory listStoreServers(String region);

    /**
     * Stores the report (keyed by its id, so a retry stores it once), keeps only the newest reports, and counts
     * the drift it found in {@code reconciliation_drift_total{kind}} and the repairs in
     * {@code reconciliation_repairs_total{kind,outcome}} (counted once per report).
     */
    @ActivityMethod
    void saveReconciliationReport(ReconciliationReport report);
}
