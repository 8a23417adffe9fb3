package com.admintk.orchestrator.server;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The entity workflow of one server, id {@code server:{serverId}} ({@link #workflowId}), on the {@code orchestration}
 * task queue. It sleeps until the renewal date and charges it through a {@code PaymentWorkflow} child; a failed
 * charge is retried on the policy's dunning schedule with a notification each time, and after the last failure the
 * server is suspended for non-payment, a grace period runs, and then it is terminated. Suspend, unsuspend and
 * terminate run as child workflows whose panel calls go to the {@code pterodactyl} queue. It continues as new every
 * paid cycle, carrying its memory ({@link LifecycleMemory}) across.
 *
 * <p>Signals are idempotent: suspending a suspended server, terminating twice, or a payment event seen before (in
 * this run or an earlier one) changes nothing.
 */
@WorkflowInterface
public interface ServerLifecycleWorkflow {

    static String workflowId(String serverId) {
        return "server:" + serverId;
    }

    @WorkflowMethod
    void run(ServerLifecycleInput input);

    /**
     * A payment for this server was received outside the lifecycle's own charge (pay now, a late card webhook):
     * one more cycle is paid, and a suspension for non-payment is lifted. {@code paymentReference} is the payment
     * event's id; one already applied is ignored.
     */
    @SignalMethod
    void paymentReceived(String paymentReference);

    /** An operator suspends the server. A payment never lifts this suspension. */
    @SignalMethod
    void adminSuspend(String reason);

    /** An operator suspends the server for abuse. A payment never lifts this suspension. */
    @SignalMethod
    void suspendForAbuse(String reason);

    /** An operator lifts any suspension. An unpaid period keeps its grace deadline. */
    @SignalMethod
    void adminUnsuspend(String reason);

    @SignalMethod
    void adminTerminate(String reason);

    /** The customer cancels: at the renewal date the server is terminated instead of charged. */
    @SignalMethod
    void cancelAtPeriodEnd(String reason);

    @QueryMethod
    ServerLifecycleState state();
}
