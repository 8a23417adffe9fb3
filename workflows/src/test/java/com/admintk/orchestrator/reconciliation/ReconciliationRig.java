package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A time-skipping Temporal running the reconciliation workflow on its real task queues, against an in-memory panel
 * (whose repairs change its state, so a second pass sees the result) and an in-memory store.
 */
public final class ReconciliationRig implements AutoCloseable {

    public static final ServerSpec.Limits PLAN = new ServerSpec.Limits(4096, 0, 20480, 500, 200);
    public static final ServerSpec.FeatureLimits PLAN_FEATURES = new ServerSpec.FeatureLimits(2, 1, 3);

    public final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    public final WorkflowClient client = env.getWorkflowClient();
    public final FakePanel panel = new FakePanel();
    public final FakeStore store = new FakeStore();

    public ReconciliationRig() {
        WorkerOptions slowMachine = WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build();
        env.newWorker(TaskQueues.MAINTENANCE, slowMachine).registerWorkflowImplementationTypes(ReconciliationWorkflowImpl.class);
        env.getWorkerFactory().getWorker(TaskQueues.MAINTENANCE).registerActivitiesImplementations(store);
        env.newWorker(TaskQueues.PTERODACTYL).registerActivitiesImplementations(panel);
        env.start();
    }

    /** Starts the loop as the worker process does; answers its first run. */
    public WorkflowExecution start() {
        ReconciliationWorkflow workflow = client.newWorkflowStub(ReconciliationWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(ReconciliationWorkflow.WORKFLOW_ID)
                        .setTaskQueue(TaskQueues.MAINTENANCE).build());
        return WorkflowClient.start(workflow::run, ReconciliationCarry.first());
    }

    /** The loop's current run. */
    public ReconciliationWorkflow workflow() {
        return client.newWorkflowStub(ReconciliationWorkflow.class, ReconciliationWorkflow.WORKFLOW_ID);
    }

    public static void eventually(java.util.function.BooleanSupplier condition) {
        long until = System.currentTimeMillis() + 15_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("condition not met within 15 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        env.close();
    }

    /** Panel servers by id; each repair is journaled as "name id". */
    public static final class FakePanel implements ReconciliationPanelActivities {
        public final Map<Integer, PanelServerState> servers = Collections.synchronizedMap(new TreeMap<>());
        public final List<String> calls = new CopyOnWriteArrayList<>();
        public volatile long createdAtMillis;
        /** Panel ids whose node is down: writes fail as the panel client reports it. */
        final List<Integer> unreachable = new CopyOnWriteArrayList<>();

        public void put(int id, String externalId, boolean suspended, ServerSpec.Limits limits) {
            servers.put(id, new PanelServerState(id, externalId, suspended ? "suspended" : null, suspended, limits,
                    PLAN_FEATURES, 1000 + id, createdAtMillis));
        }

        @Override
        public PanelInventory listPanelServers(String region) {
            calls.add("list");
            synchronized (servers) {
                return new PanelInventory(System.currentTimeMillis(), new ArrayList<>(servers.values()));
            }
        }

        @Override
        public void reapplySuspension(int panelServerId, String region) {
            write("suspend", panelServerId);
            PanelServerState s = servers.get(panelServerId);
            servers.put(panelServerId, new PanelServerState(s.panelServerId(), s.externalId(), "suspended", true,
                    s.limits(), s.featureLimits(), s.allocationId(), s.createdAtMillis()));
        }

        @Override
        public void liftStraySuspension(int panelServerId, String region) {
            write("unsuspend", panelServerId);
            PanelServerState s = servers.get(panelServerId);
            servers.put(panelServerId, new PanelServerState(s.panelServerId(), s.externalId(), null, false,
                    s.limits(), s.featureLimits(), s.allocationId(), s.createdAtMillis()));
        }

        @Override
        public void reapplyPlanLimits(int panelServerId, Drift.PlanBuild build, String region) {
            write("build", panelServerId);
            PanelServerState s = servers.get(panelServerId);
            servers.put(panelServerId, new PanelServerState(s.panelServerId(), s.externalId(), s.status(),
                    s.suspended(), build.limits(), build.featureLimits(), build.allocationId(), s.createdAtMillis()));
        }

        @Override
        public boolean deleteOrphan(int panelServerId, String region) {
            write("delete", panelServerId);
            return servers.remove(panelServerId) != null;
        }

        private void write(String name, int id) {
            calls.add(name + " " + id);
            if (unreachable.contains(id)) {
                throw ApplicationFailure.newNonRetryableFailure("Wings is down", PanelFailures.NODE_UNREACHABLE);
            }
        }
    }

    public static final class FakeStore implements ReconciliationActivities {
        final List<StoreServerState> records = new CopyOnWriteArrayList<>();
        final List<String> provisioning = new CopyOnWriteArrayList<>();
        public final List<ReconciliationReport> reports = new CopyOnWriteArrayList<>();
        public volatile ReconciliationPolicy policy = new ReconciliationPolicy(true, 600, true, false, 86_400, 1_800);

        public void put(String serverId, String externalId, String status) {
            records.add(new StoreServerState(serverId, externalId, status, null, "paper-4g", 0, PLAN, PLAN_FEATURES));
        }

        @Override
        public ReconciliationPolicy reconciliationPolicy() {
            return policy;
        }

        @Override
        public StoreInventory listStoreServers(String region) {
            return new StoreInventory(List.copyOf(records), List.copyOf(provisioning));
        }

        @Override
        public void saveReconciliationReport(ReconciliationReport report) {
            if (reports.stream().noneMatch(r -> r.id().equals(report.id()))) {
                reports.add(report);
            }
        }
    }
}
