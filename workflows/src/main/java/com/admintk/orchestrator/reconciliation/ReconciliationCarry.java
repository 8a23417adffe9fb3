package com.admintk.orchestrator.reconciliation;

import java.util.List;

/**
 * What one run hands to the next across continue-as-new.
 *
 * @param passes         passes done by earlier runs
 * @param pendingRequests "run now" requests not yet answered by a pass
 * @param lastReportId    the report of the latest pass, null before the first
 * @param region          the panel (region) this loop compares with the store; null is the default region, as for
 *                        loops started before regions
 */
public record ReconciliationCarry(long passes, List<String> pendingRequests, String lastReportId, String region) {

    /** The shape carried before regions: the default region's loop. */
    public ReconciliationCarry(long passes, List<String> pendingRequests, String lastReportId) {
        this(passes, pendingRequests, lastReportId, null);
    }

    public static ReconciliationCarry first() {
        return first(null);
    }

    public static ReconciliationCarry first(String region) {
        return new ReconciliationCarry(0, List.of(), null, region);
    }
}
