package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.SimState;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compensation's delete under Temporal's retries: force delete only once Wings has kept failing. */
class DeadNodeDeleteTest {

    @WorkflowInterface
    public interface Compensate {
        @WorkflowMethod
        boolean delete(String externalId);
    }

    public static class CompensateImpl implements Compensate {
        private final PterodactylActivities panel =
                Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCompensation());

        @Override
        public boolean delete(String externalId) {
            return panel.deleteServer(externalId, null);
        }
    }

    private PanelSimulator sim;
    private TestWorkflowEnvironment env;

    @BeforeEach
    void start() {
        sim = PanelSim.start(Duration.ofMillis(100));
        env = TestWorkflowEnvironment.newInstance();
        env.newWorker("compensation").registerWorkflowImplementationTypes(CompensateImpl.class);
        Worker panelWorker = env.newWorker(TaskQueues.PTERODACTYL);
        panelWorker.registerActivitiesImplementations(new PterodactylActivitiesImpl(PanelSim.client(sim)));
        env.start();
    }

    @AfterEach
    void stop() {
        env.close();
        sim.close();
    }

    @Test
    void aServerOnADeadNodeIsForceDeletedOnlyAfterNormalDeletesKeptFailing() {
        PanelClient client = PanelSim.client(sim);
        Panel.Server server = client.createServer(PterodactylActivitiesImpl.newServer("dead:1", PanelSim.paper("dead", null)));
        sim.faults().killNode(server.node());
        sim.state().clearRequests();

        boolean deleted = env.getWorkflowClient().newWorkflowStub(Compensate.class,
                WorkflowOptions.newBuilder().setTaskQueue("compensation").build()).delete("dead:1");

        assertTrue(deleted);
        assertEquals(0, PanelSim.countExternalId(sim, "dead:1"), "the record is gone");
        List<SimState.RequestRecord> deletes = sim.state().requests().stream()
                .filter(r -> r.method().equals("DELETE")).toList();
        List<String> kinds = deletes.stream().map(r -> r.path().endsWith("/force") ? "force" : "normal:" + r.status()).toList();
        assertEquals(List.of("normal:504", "normal:504", "normal:504", "force"), kinds);
    }

    @Test
    void aPassingDaemonHiccupDoesNotForceDelete() {
        PanelClient client = PanelSim.client(sim);
        client.createServer(PterodactylActivitiesImpl.newServer("hiccup:1", PanelSim.paper("hiccup", null)));
        sim.state().clearRequests();
        sim.faults().pathFilter("/api/application/servers/.*").methods("DELETE").failNext(
                com.admintk.orchestrator.localstack.panel.FaultInjector.Fault.HTTP_504, 1);

        env.getWorkflowClient().newWorkflowStub(Compensate.class,
                WorkflowOptions.newBuilder().setTaskQueue("compensation").build()).delete("hiccup:1");

        assertEquals(0, PanelSim.countExternalId(sim, "hiccup:1"));
        assertTrue(sim.state().requests().stream().noneMatch(r -> r.path().endsWith("/force")), "no force delete");
    }
}
