package com.admintk.orchestrator.server;

import com.admintk.orchestrator.notification.ServerNotification;

public class TerminateServerWorkflowImpl implements TerminateServerWorkflow {

    private final ServerActionSteps steps = new ServerActionSteps();

    @Override
    public ServerTermination terminate(ServerAction action) {
        ServerTermination removed = deleteFromPanel(action);
        steps.markStore(action, ServerLifecycleState.Status.TERMINATED, null);
        steps.closeLiveSessions(action, LiveSessionActivities.TERMINATED);
        steps.notifyCustomer(action, ServerNotification.TERMINATED, null);
        return removed;
    }

    /** Normal delete, force delete once the node has stayed unreachable for the policy's time. */
    private ServerTermination deleteFromPanel(ServerAction action) {
        if (action.panelServerId() <= 0) {
            return new ServerTermination(false, false, 0);
        }
        return PanelServerRemoval.remove(steps.panel, action.panelServerId(), action.region(),
                action.forceDeleteAfterSeconds(),
                action.nodeRecheckSeconds(), "server " + action.serverId());
    }
}
