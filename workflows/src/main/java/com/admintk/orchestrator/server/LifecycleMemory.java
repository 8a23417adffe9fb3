package com.admintk.orchestrator.server;

import java.util.List;

/**
 * What a lifecycle run hands to the next one at continue-as-new besides the billing terms: the suspension, the
 * dunning position, the bounded history, and the payment events already applied, so a payment event delivered
 * again after continue-as-new has no second effect. Null on a server's first run. {@code answeredRequests} are the
 * requests (pay now, plan change, reinstall) already answered, by request id, newest last: null in runs recorded
 * before the requests existed.
 */
public record LifecycleMemory(SuspensionReason suspension,
                              boolean cancelAtPeriodEnd,
                              int failedChargeAttempts,
                              long graceEndsAtMillis,
                              List<String> appliedPayments,
                              String lastPaymentReference,
                              List<Transition> history,
                              long actions,
                              List<AnsweredRequest> answeredRequests) {

    /** The shape recorded before the requests (Updates) existed. */
    public LifecycleMemory(SuspensionReason suspension, boolean cancelAtPeriodEnd, int failedChargeAttempts,
                           long graceEndsAtMillis, List<String> appliedPayments, String lastPaymentReference,
                           List<Transition> history, long actions) {
        this(suspension, cancelAtPeriodEnd, failedChargeAttempts, graceEndsAtMillis, appliedPayments,
                lastPaymentReference, history, actions, null);
    }

    public static LifecycleMemory empty() {
        return new LifecycleMemory(null, false, 0, 0, List.of(), null, List.of(), 0, List.of());
    }

    /** The first answer to a request, given again when the same request id comes back. */
    public record AnsweredRequest(String requestId, ServerActionAccepted answer) {
    }
}
