package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.SimState;
import com.admintk.orchestrator.server.InstallWatchActivities;
import com.admintk.orchestrator.server.ProvisionRequest;
import com.admintk.orchestrator.server.ProvisionServerWorkflow;
import com.admintk.orchestrator.server.ProvisionServerWorkflowImpl;
import com.admintk.orchestrator.server.ProvisionedServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The provision child's panel activities with the real client against the panel simulator: each makes exactly one
 * panel request, and the child built from them keeps a customer's existing account and undoes a create on a dead
 * node by the time-based rule.
 */
class ProvisionPanelCallsTest {

    private PanelSimulator sim;
    private PanelClient client;
    private PterodactylActivitiesImpl activities;
    private TestWorkflowEnvironment env;

    @BeforeEach
    void start() {
        sim = PanelSim.start(Duration.ofSeconds(2));
        client = PanelSim.client(sim);
        activities = new PterodactylActivitiesImpl(client);
        env = TestWorkflowEnvironment.newInstance();
        Worker orchestration = env.newWorker(TaskQueues.ORCHESTRATION, WorkerOptions.newBuilder()
                .setDefaultDeadlockDetectionTimeout(30_000).build());
        orchestration.registerWorkflowImplementationTypes(ProvisionServerWorkflowImpl.class);
        // The watch list is a local activity of the workflow's worker; with install events off the child only polls.
        orchestration.registerActivitiesImplementations(new InstallWatchActivities() {
            @Override
            public boolean watchInstall(int panelServerId, String panelServerUuid, String workflowId, String region) {
                return false;
            }

            @Override
            public void unwatchInstall(int panelServerId, boolean installSeenByPoll, String region) {
            }
        });
        env.newWorker(TaskQueues.PTERODACTYL).registerActivitiesImplementations(activities);
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
        sim.close();
    }

    private Panel.User user(String externalId, String email) {
        return client.createUser(new Panel.NewUser(externalId, email, email.replaceAll("[^a-z0-9]", ""), "A", "B",
                null, null, null));
    }

    /** The panel requests made since the last {@code clearRequests}, as {@code METHOD path}. */
    private List<String> requests() {
        return sim.state().requests().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    @Test
    void eachUserCallIsOnePanelRequest() {
        sim.state().clearRequests();
        assertNull(activities.findPanelUserByExternalId("cust_none", null));
        assertEquals(1, requests().size(), requests().toString());

        user(null, "old-one@example.com");
        Panel.User mine = user(null, "one@example.com");
        sim.state().clearRequests();
        List<PanelUserRef> byEmail = activities.findPanelUsersByEmail("one@example.com", null);
        assertEquals(1, requests().size(), requests().toString());
        // The panel filters loosely: both come back, the workflow picks the exact address.
        assertEquals(2, byEmail.size(), byEmail.toString());
        assertTrue(byEmail.stream().anyMatch(u -> u.id() == mine.id()));

        sim.state().clearRequests();
        PanelUserRef created = activities.createPanelUser(
                new PanelUserRequest("cust_2", "two@example.com", "cust2", "Two", "Customer"), null);
        assertEquals(List.of("POST /api/application/users"), requests());
        assertEquals("cust_2", created.externalId());
        assertEquals(created.id(), activities.findPanelUserByExternalId("cust_2", null).id());

        sim.state().clearRequests();
        ApplicationFailure taken = assertThrows(ApplicationFailure.class, () -> activities.createPanelUser(
                new PanelUserRequest("cust_3", "two@example.com", "cust3", "Two", "Again"), null));
        assertEquals(1, requests().size(), "a taken email is answered, not looked up: " + requests());
        assertEquals(PanelFailures.VALIDATION, taken.getType());
        assertFalse(taken.isNonRetryable(), "the step's retry options decide");
    }

    @Test
    void findServerByExternalIdIsOneRequestAndNullWhenThereIsNone() {
        sim.state().clearRequests();
        assertNull(activities.findServerByExternalId("order:none", null));
        assertEquals(1, requests().size(), requests().toString());

        Panel.Server made = client.createServer(PterodactylActivitiesImpl.newServer("order:found",
                PanelSim.paper("found", null)));
        sim.state().clearRequests();
        PanelServerRef found = activities.findServerByExternalId("order:found", null);
        assertEquals(1, requests().size(), requests().toString());
        assertEquals(made.id(), found.id());
        assertEquals("order:found", found.externalId());
    }

    @Test
    void theChildKeepsTheAccountWithTheCustomersEmailAndMakesTheServer() {
        user(null, "old-keep@example.com");
        Panel.User existing = user(null, "keep@example.com");
        sim.state().clearRequests();

        ProvisionedServer done = child("order:keep:provision:1").provision(request("keep", 600, 60));

        assertEquals(existing.id(), done.panelUser().id());
        SimState.ServerView server = sim.state().serverByExternalId("order:keep").orElseThrow();
        assertEquals(existing.id(), server.user());
        assertTrue(requests().stream().noneMatch(r -> r.equals("POST /api/application/users")), requests().toString());
    }

    @Test
    void theChildsUndoOnADeadNodeForceDeletesOnlyAfterThePolicyTime() throws InterruptedException {
        sim.faults().failNextInstalls(1);
        ProvisionServerWorkflow child = child("order:dead:provision:1");
        WorkflowClient.start(child::provision, request("dead", 600, 60));
        PanelSim.await("the server is created", Duration.ofSeconds(20),
                () -> sim.state().serverByExternalId("order:dead").isPresent());
        sim.faults().killNode(sim.state().serverByExternalId("order:dead").orElseThrow().node());
        sim.state().clearRequests();

        // Waiting for the result lets the test server skip time through the undo's rechecks.
        assertThrows(WorkflowFailedException.class, () -> env.getWorkflowClient()
                .newUntypedWorkflowStub("order:dead:provision:1").getResult(ProvisionedServer.class));

        assertEquals(0, PanelSim.countExternalId(sim, "order:dead"), "the panel record is gone");
        List<String> deletes = sim.state().requests().stream().filter(r -> r.method().equals("DELETE"))
                .map(r -> r.path().endsWith("/force") ? "force" : "normal:" + r.status()).toList();
        assertEquals("force", deletes.get(deletes.size() - 1));
        long normal = deletes.stream().filter("normal:504"::equals).count();
        assertTrue(normal >= 10 && normal <= 12, "one normal delete a minute for 10 minutes: " + deletes);
    }

    private ProvisionServerWorkflow child(String id) {
        return env.getWorkflowClient().newWorkflowStub(ProvisionServerWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(TaskQueues.ORCHESTRATION).build());
    }

    /** A deadline far beyond the simulator's two-second install: time skipping polls fast while a result is awaited. */
    private static ProvisionRequest request(String orderId, long forceDeleteAfterSeconds, long nodeRecheckSeconds) {
        return new ProvisionRequest(orderId, 1, "order:" + orderId,
                new PanelUserRequest("cust_" + orderId, orderId + "@example.com", "cust" + orderId, "A", "B"),
                PanelSim.paper(orderId, null), 3_600, 1, 5, null, forceDeleteAfterSeconds, nodeRecheckSeconds);
    }
}
