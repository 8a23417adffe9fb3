package com.admintk.orchestrator.server;

import java.util.List;

/**
 * Answer of the {@link ServerLifecycleWorkflow#state()} query. {@code nextAttemptAtMillis} is the next renewal
 * charge while past due (0 when none is planned), {@code graceEndsAtMillis} when an unpaid suspended server is
 * terminated (0 when no grace period runs). {@code history} is bounded ({@link LifecyclePolicy#historyLimit}).
 */
public record ServerLifecycleState(String serverId,
                                   Status status,
                                   long renewsAtMillis,
                                   String reason,
                                   String lastPaymentReference,
                                   int cycle,
                                   SuspensionReason suspension,
                                   boolean cancelAtPeriodEnd,
                                   int failedChargeAttempts,
                                   long nextAttemptAtMillis,
                                   long graceEndsAtMillis,
                                   List<Transition> history) {

    public enum Status {
        ACTIVE,
        /** The renewal charge failed at least once this period; dunning retries are planned. */
        PAST_DUE,
        /** See {@link ServerLifecycleState#suspension()} for why. */
        SUSPENDED,
        TERMINATED
    }
}
