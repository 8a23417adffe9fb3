package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.notification.OperatorAlert;
import com.admintk.orchestrator.notification.OrderNotification;
import com.admintk.orchestrator.notification.ServerNotification;
import com.admintk.orchestrator.server.LiveSessionActivities;
import com.admintk.orchestrator.server.ServerAction;
import com.admintk.orchestrator.server.ServerActivities;
import com.admintk.orchestrator.server.ServerPlanChange;
import com.admintk.orchestrator.server.ServerStatusUpdate;
import com.admintk.orchestrator.server.ServerTermination;
import com.admintk.orchestrator.server.SuspendServerWorkflow;
import com.admintk.orchestrator.server.SuspendServerWorkflowImpl;
import com.admintk.orchestrator.server.SuspensionReason;
import com.admintk.orchestrator.server.TerminateServerWorkflow;
import com.admintk.orchestrator.server.TerminateServerWorkflowImpl;
import com.admintk.orchestrator.server.UnsuspendServerWorkflow;
import com.admintk.orchestrator.server.UnsuspendServerWorkflowImpl;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lifecycle's panel actions with the real activities against the panel simulator: suspend and unsuspend are
 * idempotent, a delete on a dead node reports the node rather than forcing, and the termination workflow force-deletes
 * only after the node stayed unreachable for its configured time.
 */
class LifecyclePanelActionsTest {

    private PanelSimulator sim;
    private PanelClient client;
    private PterodactylActivitiesImpl activities;
    private TestWorkflowEnvironment env;
    private final List<String> storeWrites = new CopyOnWriteArrayList<>();
    private final List<String> emails = new CopyOnWriteArrayList<>();
    private final List<String> liveCloses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        sim = PanelSim.start(Duration.ofMillis(50));
        client = PanelSim.client(sim);
        activities = new PterodactylActivitiesImpl(client);
        env = TestWorkflowEnvironment.newInstance();
        env.newWorker(TaskQueues.ORCHESTRATION, WorkerOptions.newBuilder()
                        .setDefaultDeadlockDetectionTimeout(30_000).build())
                .registerWorkflowImplementationTypes(SuspendServerWorkflowImpl.class,
                        UnsuspendServerWorkflowImpl.class, TerminateServerWorkflowImpl.class);
        env.getWorkerFactory().getWorker(TaskQueues.ORCHESTRATION).registerActivitiesImplementations(
                new ServerActivities() {
                    @Override
                    public void markServerStatus(String serverId, ServerStatusUpdate update) {
                        storeWrites.add(serverId + ":" + update.status());
                    }

                    @Override
                    public void changeServerPlan(String serverId, ServerPlanChange change) {
                        storeWrites.add(serverId + ":" + change.planId());
                    }
                });
        env.getWorkerFactory().getWorker(TaskQueues.ORCHESTRATION).registerActivitiesImplementations(
                new LiveSessionActivities() {
                    @Override
                    public void closeServerSessions(String serverId, String reason) {
                        liveCloses.add(serverId + ":" + reason);
                    }
                });
        env.newWorker(TaskQueues.PTERODACTYL).registerActivitiesImplementations(activities);
        env.newWorker(TaskQueues.NOTIFICATIONS).registerActivitiesImplementations(new Emails());
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
        sim.close();
    }

    private Panel.Server create(String externalId) {
        return client.createServer(PterodactylActivitiesImpl.newServer(externalId, PanelSim.paper(externalId, null)));
    }

    private SimState.ServerView view(int id) {
        return sim.state().servers().stream().filter(s -> s.id() == id).findFirst().orElseThrow();
    }

    private ServerAction action(Panel.Server server, String key) {
        return new ServerAction("srv-" + server.id(), "cust-1", "c@example.test", "Paper", server.id(),
                server.externalId(), SuspensionReason.NON_PAYMENT, "renewal not paid", key,
                Duration.ofMinutes(30).toSeconds(), Duration.ofMinutes(1).toSeconds());
    }

    private <T> T child(Class<T> type, String id) {
        return env.getWorkflowClient().newWorkflowStub(type, WorkflowOptions.newBuilder().setWorkflowId(id)
                .setTaskQueue(TaskQueues.ORCHESTRATION).build());
    }

    @Test
    void suspendAndUnsuspendAreSafeToRepeat() {
        Panel.Server server = create("life:1");

        activities.suspendServer(server.id(), null);
        activities.suspendServer(server.id(), null);
        assertTrue(view(server.id()).suspended());

        activities.unsuspendServer(server.id(), null);
        activities.unsuspendServer(server.id(), null);
        assertFalse(view(server.id()).suspended());
    }

    @Test
    void suspensionWorkflowsSuspendOnThePanelMarkTheStoreAndTellTheCustomer() {
        Panel.Server server = create("life:2");

        child(SuspendServerWorkflow.class, "server:a:suspend:1").suspend(action(server, "server:a:suspend:1"));
        assertTrue(view(server.id()).suspended());
        child(UnsuspendServerWorkflow.class, "server:a:unsuspend:2").unsuspend(action(server, "server:a:unsuspend:2"));
        assertFalse(view(server.id()).suspended());

        assertEquals(List.of("srv-" + server.id() + ":SUSPENDED", "srv-" + server.id() + ":ACTIVE"), storeWrites);
        assertEquals(List.of(ServerNotification.SUSPENDED, ServerNotification.UNSUSPENDED), emails);
        assertEquals(List.of("srv-" + server.id() + ":" + LiveSessionActivities.SUSPENDED), liveCloses,
                "the suspension closed the live sessions, the unsuspension had none to close");
    }

    @Test
    void aDeleteOnADeadNodeReportsTheNodeAndForceRemovesTheRecord() {
        Panel.Server server = create("life:3");
        sim.faults().killNode(server.node());

        ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> activities.removeServer(server.id(), null));
        assertEquals(PanelFailures.NODE_UNREACHABLE, failure.getType());
        assertEquals(1, PanelSim.countExternalId(sim, "life:3"), "a normal delete never forces by itself");

        assertTrue(activities.forceRemoveServer(server.id(), null));
        assertEquals(0, PanelSim.countExternalId(sim, "life:3"));
        assertFalse(activities.removeServer(server.id(), null), "already gone");
        assertFalse(activities.forceRemoveServer(server.id(), null), "already gone");
    }

    @Test
    void terminationForceDeletesOnlyAfterTheNodeStayedUnreachableForThirtyMinutes() {
        Panel.Server server = create("life:4");
        sim.faults().killNode(server.node());
        sim.state().clearRequests();

        ServerTermination done = child(TerminateServerWorkflow.class, "server:b:terminate")
                .terminate(action(server, "server:b:terminate"));

        assertTrue(done.deletedOnPanel());
        assertTrue(done.forced());
        assertTrue(done.unreachableForSeconds() >= Duration.ofMinutes(30).toSeconds(), done.toString());
        assertEquals(0, PanelSim.countExternalId(sim, "life:4"), "the panel record is gone");
        List<String> deletes = sim.state().requests().stream().filter(r -> r.method().equals("DELETE"))
                .map(r -> r.path().endsWith("/force") ? "force" : "normal:" + r.status()).toList();
        assertEquals("force", deletes.get(deletes.size() - 1));
        long normal = deletes.stream().filter("normal:504"::equals).count();
        assertTrue(normal >= 30 && normal <= 32, "one normal delete a minute for 30 minutes: " + deletes);
        assertEquals(List.of("srv-" + server.id() + ":TERMINATED"), storeWrites);
        assertEquals(List.of(ServerNotification.TERMINATED), emails);
        assertEquals(List.of("srv-" + server.id() + ":" + LiveSessionActivities.TERMINATED), liveCloses);
    }

    @Test
    void terminationOnALiveNodeDeletesNormally() {
        Panel.Server server = create("life:5");
        sim.state().clearRequests();

        ServerTermination done = child(TerminateServerWorkflow.class, "server:c:terminate")
                .terminate(action(server, "server:c:terminate"));

        assertTrue(done.deletedOnPanel());
        assertFalse(done.forced());
        assertTrue(sim.state().requests().stream().noneMatch(r -> r.path().endsWith("/force")));
        assertEquals(0, PanelSim.countExternalId(sim, "life:5"));
    }

    private class Emails implements NotificationActivities {
        @Override
        public void emailCustomer(String key, OrderNotification notification) {
        }

        @Override
        public void notifyStore(String key, OrderNotification notification) {
        }

        @Override
        public void publishOrderEvent(String key, OrderNotification notification) {
        }

        @Override
        public void alertOperators(String key, OperatorAlert alert) {
        }

        @Override
        public void emailServerEvent(String key, ServerNotification notification) {
            emails.add(notification.event());
        }
    }
}
