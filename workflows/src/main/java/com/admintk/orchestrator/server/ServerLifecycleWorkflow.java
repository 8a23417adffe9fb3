package com.admintk.orchestrator.server;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
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

    /**
     * Pay now: charges one period through a {@code PaymentWorkflow} child (the server's payment method), then the
     * server is renewed, and unsuspended if it was suspended for non-payment. Answers with the payment's workflow
     * id. Refused ({@link ServerActionRefusals}) when terminated.
     */
    @UpdateMethod
    ServerActionAccepted renewNow(ServerActionRequest request);

    @UpdateValidatorMethod(updateName = "renewNow")
    void validateRenewNow(ServerActionRequest request);

    /**
     * Upgrade or downgrade: a {@code ChangeServerBuildWorkflow} child patches the panel build (and the startup when
     * the egg changes); the prorated difference is charged or credited; a failed charge restores the old build.
     * Answers with the child's workflow id. Refused when terminated, suspended, busy or unchanged.
     */
    @UpdateMethod
    ServerActionAccepted changePlan(PlanChangeRequest request);

    @UpdateValidatorMethod(updateName = "changePlan")
    void validateChangePlan(PlanChangeRequest request);

    /**
     * Reinstall: a {@code ReinstallServerWorkflow} child reinstalls on the panel and waits until installed again.
     * A second request while one runs answers with the running one ({@code alreadyRunning}). Refused when
     * terminated or suspended.
     */
    @UpdateMethod
    ServerActionAccepted reinstall(ServerActionRequest request);

    @UpdateValidatorMethod(updateName = "reinstall")
    void validateReinstall(ServerActionRequest request);

    @QueryMethod
    ServerLifecycleState state();
}
