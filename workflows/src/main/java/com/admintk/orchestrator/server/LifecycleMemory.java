package com.admintk.orchestrator.server;

import java.util.List;

/**
 * What a lifecycle run hands to the next one at continue-as-new besides the billing terms: the suspension, the
 * dunning position, the bounded history, and the payment events already applied, so a payment event delivered
 * again after continue-as-new has no second effect. Null on a server's first run.
 */
public record LifecycleMemory(SuspensionReason suspension,
                              boolean cancelAtPeriodEnd,
                              int failedChargeAttempts,
                              long graceEndsAtMillis,
                              List<String> appliedPayments,
                              String lastPaymentReference,
                              List<Transition> history,
                              long actions) {

    public static LifecycleMemory empty() {
        return new LifecycleMemory(null, false, 0, 0, List.of(), null, List.of(), 0);
    }
}
