package com.admintk.orchestrator.reconciliation;

/**
 * How reconciliation runs, read from the worker's configuration at the start of every pass, so a changed setting
 * applies from the next pass without restarting the loop.
 *
 * @param enabled                    false ends the loop at its next pass
 * @param intervalSeconds            the sleep between two passes (a "run now" request cuts it short)
 * @param repair                     re-apply the store's suspension state and the plan's limits on the panel
 * @param deleteOrphans              delete orphans older than {@code orphanSafetyAgeSeconds} (off by default: a
 *                                   server made by hand on the panel, or one whose order record is late, would be
 *                                   lost for good)
 * @param orphanSafetyAgeSeconds     the youngest orphan that may be deleted, counted from its creation on the panel
 * @param installingStuckAfterSeconds how long a server may stay {@code installing} before it is reported
 */
public record ReconciliationPolicy(boolean enabled,
                                   long intervalSeconds,
                                   boolean repair,
                                   boolean deleteOrphans,
                                   long orphanSafetyAgeSeconds,
                                   long installingStuckAfterSeconds) {
}
