package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.notification.ServerNotification;
import com.admintk.orchestrator.testing.FakeNotifications;
import com.admintk.orchestrator.testing.Journal;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerResourceAlertWorkflowTest {

    private TestWorkflowEnvironment env;
    private FakeNotifications notifications;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        env.newWorker(TaskQueues.ORCHESTRATION, WorkerOptions.newBuilder()
                .setDefaultDeadlockDetectionTimeout(30_000).build())
                .registerWorkflowImplementationTypes(ServerResourceAlertWorkflowImpl.class);
        notifications = new FakeNotifications(new Journal());
    }

    @AfterEach
    void stop() {
        env.close();
    }

    static ServerResourceAlert alert() {
        return new ServerResourceAlert("srv-1", "cust-42", "demo@example.test", "Hot server",
                ServerResourceAlert.CPU, 187.4, 90, 1_700_000_000_000L, 300);
    }

    private void run(ServerResourceAlert alert) {
        String id = ServerResourceAlertWorkflow.workflowId(alert.serverId(), alert.resource(), alert.sinceMillis());
        env.getWorkflowClient().newWorkflowStub(ServerResourceAlertWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(TaskQueues.ORCHESTRATION).build()).tellCustomer(alert);
    }

    @Test
    void theCustomerIsEmailedOnceWithTheResourceTheUseAndTheDuration() {
        env.newWorker(TaskQueues.NOTIFICATIONS).registerActivitiesImplementations(notifications);
        env.start();
        run(alert());
        assertEquals(1, notifications.serverEvents.size());
        ServerNotification sent = notifications.serverEvents.get(0);
        assertEquals(ServerNotification.RESOURCE_ALERT, sent.event());
        assertEquals("demo@example.test", sent.customerEmail());
        assertEquals("CPU at 187% of the plan's limit for over 5 minutes (alert level 90%)", sent.reason());
    }

    @Test
    void anEmailThatKeepsFailingDoesNotFailTheAlert() {
        AtomicInteger attempts = new AtomicInteger();
        NotificationActivities smtpDown = new FakeNotifications(new Journal()) {
            @Override
            public void emailServerEvent(String notificationKey, ServerNotification notification) {
                attempts.incrementAndGet();
                throw ApplicationFailure.newFailure("421 service not available", "NOTIFICATION_UNAVAILABLE");
            }
        };
        env.newWorker(TaskQueues.NOTIFICATIONS).registerActivitiesImplementations(smtpDown);
        env.start();
        run(alert());
        assertTrue(attempts.get() > 1, "retried before giving up: " + attempts.get());
    }
}
