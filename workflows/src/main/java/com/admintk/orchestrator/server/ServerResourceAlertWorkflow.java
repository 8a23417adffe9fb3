package com.admintk.orchestrator.server;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Tells the customer that their server has been running over its plan's CPU or memory alert level, through the
 * {@code notifications} queue. Started once per episode by the cluster-wide stats poller, id
 * {@code server:{serverId}:resource-alert:{resource}:{sinceMillis}}, so a second start of the same episode (a new
 * poller leader) is refused by Temporal instead of sending a second email.
 */
@WorkflowInterface
public interface ServerResourceAlertWorkflow {

    static String workflowId(String serverId, String resource, long sinceMillis) {
        return ServerLifecycleWorkflow.workflowId(serverId) + ":resource-alert:" + resource + ":" + sinceMillis;
    }

    @WorkflowMethod
    void tellCustomer(ServerResourceAlert alert);
}
