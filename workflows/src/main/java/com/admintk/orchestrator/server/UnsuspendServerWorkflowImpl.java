package com.admintk.orchestrator.server;

import com.admintk.orchestrator.notification.ServerNotification;

public class UnsuspendServerWorkflowImpl implements UnsuspendServerWorkflow {

    private final ServerActionSteps steps = new ServerActionSteps();

    @Override
    public void unsuspend(ServerAction action) {
        unsuspendOnPanel(action);
        steps.markStore(action, ServerLifecycleState.Status.ACTIVE, null);
        steps.notifyCustomer(action, ServerNotification.UNSUSPENDED, null);
    }

    private void unsuspendOnPanel(ServerAction action) {
        if (action.panelServerId() > 0) {
            steps.panel.unsuspendServer(action.panelServerId(), action.region());
        }
    }
}
