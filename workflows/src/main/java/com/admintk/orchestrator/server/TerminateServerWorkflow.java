package com.admintk.orchestrator.server;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Ends a server for good: deletes it on the panel, force-deletes it when its node has been unreachable for
 * {@link ServerAction#forceDeleteAfterSeconds()} of workflow time, marks the store's record terminated (kept for
 * audit), and tells the customer. One per server, id {@code server:{serverId}:terminate}, so a second request finds
 * the first.
 */
@WorkflowInterface
public interface TerminateServerWorkflow {

    static String workflowId(String serverId) {
        return ServerLifecycleWorkflow.workflowId(serverId) + ":terminate";
    }

    @WorkflowMethod
    ServerTermination terminate(ServerAction action);
}
