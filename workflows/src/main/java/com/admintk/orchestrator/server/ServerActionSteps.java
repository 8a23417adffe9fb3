package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.notification.ServerNotification;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/** The steps the panel-side child workflows share: their activity stubs, the store write, the notification. */
final class ServerActionSteps {

    private static final Logger log = Workflow.getLogger(ServerActionSteps.class);

    final PterodactylActivities panel =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelLifecycleAction());
    private final ServerActivities store = Workflow.newActivityStub(ServerActivities.class, StepOptions.store());
    private final NotificationActivities notifications =
            Workflow.newActivityStub(NotificationActivities.class, StepOptions.notification());

    void markStore(ServerAction action, ServerLifecycleState.Status status, SuspensionReason suspension) {
        store.markServerStatus(action.serverId(), new ServerStatusUpdate(status.name(), suspension, action.reason(), 0,
                Workflow.currentTimeMillis()));
    }

    /**
     * {@code reason} is what the email may say: the suspension kind for a suspension, never an operator's note.
     * A notification never fails the action: the panel and the store already say what happened. */
    void notifyCustomer(ServerAction action, String event, String reason) {
        ServerNotification notification = new ServerNotification(action.serverId(), action.customerId(),
                action.customerEmail(), action.serverName(), event, reason, 0, null, 0, 0, 0, 0);
        try {
            notifications.emailServerEvent(action.actionKey() + ":" + event, notification);
        } catch (ActivityFailure undelivered) {
            log.warn("server {}: {} notification not delivered: {}", action.serverId(), event,
                    undelivered.getMessage());
        }
    }

}
