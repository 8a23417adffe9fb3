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

    /** Version 1: the suspend and terminate children close the server's live sessions after the store mark. */
    static final String CLOSE_LIVE_SESSIONS = "close-live-sessions";

    private static final Logger log = Workflow.getLogger(ServerActionSteps.class);

    final PterodactylActivities panel =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelLifecycleAction());
    private final ServerActivities store = Workflow.newActivityStub(ServerActivities.class, StepOptions.store());
    private final NotificationActivities notifications =
            Workflow.newActivityStub(NotificationActivities.class, StepOptions.notification());
    private final LiveSessionActivities liveSessions =
            Workflow.newActivityStub(LiveSessionActivities.class, StepOptions.liveSessionClose());

    void markStore(ServerAction action, ServerLifecycleState.Status status, SuspensionReason suspension) {
        store.markServerStatus(action.serverId(), new ServerStatusUpdate(status.name(), suspension, action.reason(), 0,
                Workflow.currentTimeMillis()));
    }

    /**
     * Ends the server's live sessions now. Runs after the store mark, so a client that reconnects at once is refused
     * by the record. Never fails the action: each socket's periodic check ends the watch anyway, only later.
     * Recorded runs of the suspend and terminate children did not close (change id {@link #CLOSE_LIVE_SESSIONS}).
     */
    void closeLiveSessions(ServerAction action, String reason) {
        if (Workflow.getVersion(CLOSE_LIVE_SESSIONS, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
            return;
        }
        try {
            liveSessions.closeServerSessions(action.serverId(), reason);
        } catch (ActivityFailure unpublished) {
            log.warn("server {}: live sessions not closed ({}); the sockets' periodic check will end them",
                    action.serverId(), unpublished.getMessage());
        }
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
