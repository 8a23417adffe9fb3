package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.notification.ServerNotification;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.util.Locale;

public class ServerResourceAlertWorkflowImpl implements ServerResourceAlertWorkflow {

    private static final Logger log = Workflow.getLogger(ServerResourceAlertWorkflowImpl.class);

    private final NotificationActivities notifications =
            Workflow.newActivityStub(NotificationActivities.class, StepOptions.notification());

    @Override
    public void tellCustomer(ServerResourceAlert alert) {
        ServerNotification notification = new ServerNotification(alert.serverId(), alert.customerId(),
                alert.customerEmail(), alert.serverName(), ServerNotification.RESOURCE_ALERT, reason(alert), 0, null,
                0, 0, 0, 0);
        try {
            notifications.emailServerEvent(Workflow.getInfo().getWorkflowId(), notification);
        } catch (ActivityFailure undelivered) {
            // The alert already reached the subscribers and the metric; a lost email is no reason to fail the run.
            log.warn("server {}: {} alert email not delivered: {}", alert.serverId(), alert.resource(),
                    undelivered.getCause() == null ? undelivered.getMessage() : undelivered.getCause().getMessage());
        }
    }

    /** The customer's words: which resource, how much, for how long. */
    static String reason(ServerResourceAlert alert) {
        String resource = ServerResourceAlert.MEMORY.equals(alert.resource()) ? "memory" : "CPU";
        return String.format(Locale.ROOT, "%s at %.0f%% of the plan's limit for over %s (alert level %d%%)", resource,
                alert.percent(), duration(alert.aboveSeconds()), alert.thresholdPercent());
    }

    private static String duration(long seconds) {
        if (seconds >= 3600 && seconds % 3600 == 0) {
            return seconds / 3600 + (seconds == 3600 ? " hour" : " hours");
        }
        if (seconds >= 60 && seconds % 60 == 0) {
            return seconds / 60 + (seconds == 60 ? " minute" : " minutes");
        }
        return seconds + (seconds == 1 ? " second" : " seconds");
    }
}
