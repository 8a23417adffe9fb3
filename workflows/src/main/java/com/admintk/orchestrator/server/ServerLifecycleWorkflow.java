package com.admintk.orchestrator.server;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The entity workflow of one server, id {@code server:{serverId}} ({@link #workflowId}), on the {@code orchestration}
 * task queue. Minimal for now: it holds the renewal date and the state set by signals, and continues as new every
 * billing cycle. Panel actions (suspend, terminate) and renewal charging are the lifecycle issue's work; here the
 * signals only record state.
 */
@WorkflowInterface
public interface ServerLifecycleWorkflow {

    static String workflowId(String serverId) {
        return "server:" + serverId;
    }

    @WorkflowMethod
    void run(ServerLifecycleInput input);

    /** A renewal was paid: the renewal date moves one cycle on. Duplicates (same reference) are ignored. */
    @SignalMethod
    void paymentReceived(String paymentReference);

    @SignalMethod
    void adminSuspend(String reason);

    @SignalMethod
    void adminUnsuspend(String reason);

    @SignalMethod
    void adminTerminate(String reason);

    @QueryMethod
    ServerLifecycleState state();
}
