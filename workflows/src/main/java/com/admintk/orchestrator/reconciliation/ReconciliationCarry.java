package com.admintk.orchestrator.reconciliation;

import java.util.List;

/**
 * What one run hands to the next across continue-as-new.
 *
 * @param passes         passes done by earlier runs
 * @param pendingRequests "run now" requests not yet answered by a pass
 * @param lastReportId    the report of the latest pass, null before the first
 */
public record ReconciliationCarry(long passes, List<String> pendingRequests, String lastReportId) {

    public static ReconciliationCarry first() {
        return new ReconciliationCarry(0, List.of(), null);
    }
}
