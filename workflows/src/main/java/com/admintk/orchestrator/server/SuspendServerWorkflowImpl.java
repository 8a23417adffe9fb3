package com.admintk.orchestrator.server;

import com.admintk.orchestrator.notification.ServerNotification;

public class SuspendServerWorkflowImpl implements SuspendServerWorkflow {

    private final ServerActionSteps steps = new ServerActionSteps();

    @Override
    public void suspend(ServerAction action) {
        suspendOnPanel(action);
        steps.markStore(action, ServerLifecycleState.Status.SUSPENDED, action.suspension());
        steps.closeLiveSessions(action, LiveSessionActivities.SUSPENDED);
        steps.notifyCustomer(action, ServerNotification.SUSPENDED, action.suspension() == null ? null
                : action.suspension().name());
    }

    private void suspendOnPanel(ServerAction action) {
        if (action.panelServerId() > 0) {
            steps.panel.suspendServer(action.panelServerId(), action.region());
        }
    }
}
