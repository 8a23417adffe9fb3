package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.order.Customer;
import com.admintk.orchestrator.order.OrderIds;
import com.admintk.orchestrator.order.OrderOptions;
import com.admintk.orchestrator.order.OrderProgress;
import com.admintk.orchestrator.order.OrderProvisioningWorkflow;
import com.admintk.orchestrator.order.OrderProvisioningWorkflowImpl;
import com.admintk.orchestrator.order.OrderRequest;
import com.admintk.orchestrator.order.OrderResult;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.payment.PaymentWorkflowImpl;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.server.ChangeServerBuildWorkflowImpl;
import com.admintk.orchestrator.server.ReinstallServerWorkflowImpl;
import com.admintk.orchestrator.server.LifecyclePolicy;
import com.admintk.orchestrator.server.ServerLifecycleWorkflowImpl;
import com.admintk.orchestrator.server.SuspendServerWorkflowImpl;
import com.admintk.orchestrator.server.ProvisionServerWorkflow;
import com.admintk.orchestrator.server.ProvisionServerWorkflowImpl;
import com.admintk.orchestrator.server.TerminateServerWorkflowImpl;
import com.admintk.orchestrator.server.UnsuspendServerWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A time-skipping Temporal with every saga workflow and fake activities on their real task queues. */
public final class SagaRig implements AutoCloseable {

    public static final String CUSTOMER = "cust-42";

    public final Journal journal = new Journal();
    public final FakePanel panel = new FakePanel(journal);
    public final FakePayments payments = new FakePayments(journal);
    public final FakeStore store = new FakeStore(journal);
    public final FakeNotifications notifications = new FakeNotifications(journal);
    public final FakeCapacity capacity = new FakeCapacity(journal);
    public final FakeLiveSessions liveSessions = new FakeLiveSessions(journal);
    public final FakeInstallWatch installWatch = new FakeInstallWatch(journal);
    public final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    public final WorkflowClient client = env.getWorkflowClient();

    public SagaRig() {
        for (SearchAttributeKey<String> key : SearchAttributes.ALL) {
            env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
        // Generous deadlock detection: two shared cores and a cold JVM are slow, not deadlocked.
        Worker orchestration = env.newWorker(TaskQueues.ORCHESTRATION,
                WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(30_000).build());
        orchestration.registerWorkflowImplementationTypes(OrderProvisioningWorkflowImpl.class,
                PaymentWorkflowImpl.class, ServerLifecycleWorkflowImpl.class, SuspendServerWorkflowImpl.class,
                UnsuspendServerWorkflowImpl.class, TerminateServerWorkflowImpl.class,
                ChangeServerBuildWorkflowImpl.class, ReinstallServerWorkflowImpl.class,
                ProvisionServerWorkflowImpl.class);
        // As the app's worker: the store, the install watch list and the reservations also run as local activities.
        orchestration.registerActivitiesImplementations(store, liveSessions, installWatch, capacity);
        env.newWorker(TaskQueues.PTERODACTYL).registerActivitiesImplementations(panel, capacity);
        env.newWorker(TaskQueues.PAYMENTS).registerActivitiesImplementations(payments);
        env.newWorker(TaskQueues.NOTIFICATIONS).registerActivitiesImplementations(notifications);
        env.start();
        payments.setBalance(CUSTOMER, 10_000);
    }

    public static PlanSnapshot plan() {
        return new PlanSnapshot("paper-4g", 1, 5, null, null, Map.of("MAX_PLAYERS", "40"),
                new ServerSpec.Limits(4096, 0, 20480, 500, 200), new ServerSpec.FeatureLimits(2, 1, 3),
                null, List.of(1), List.of(), 500, 999, "eur", BillingCycle.MONTHLY);
    }

    public static OrderRequest order(String orderId, PaymentMethod method) {
        return new OrderRequest(orderId, 1, new Customer(CUSTOMER, "demo@admin-tk.local", "Demo Player"), plan(),
                "My Paper server", Map.of("MINECRAFT_VERSION", "1.20.4"), method, OrderOptions.defaults());
    }

    public static OrderRequest withEggVariables(OrderRequest o, Map<String, String> vars) {
        return new OrderRequest(o.orderId(), o.attempt(), o.customer(), o.plan(), o.serverName(), vars,
                o.paymentMethod(), o.options(), o.lifecycle());
    }

    public static OrderRequest withOptions(OrderRequest o, OrderOptions options) {
        return new OrderRequest(o.orderId(), o.attempt(), o.customer(), o.plan(), o.serverName(), o.eggVariables(),
                o.paymentMethod(), options, o.lifecycle());
    }

    public static OrderRequest withLifecycle(OrderRequest o, LifecyclePolicy lifecycle) {
        return new OrderRequest(o.orderId(), o.attempt(), o.customer(), o.plan(), o.serverName(), o.eggVariables(),
                o.paymentMethod(), o.options(), lifecycle);
    }

    public OrderProvisioningWorkflow orderStub(String orderId) {
        return client.newWorkflowStub(OrderProvisioningWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(OrderIds.workflowId(orderId))
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .build());
    }

    public OrderResult run(OrderRequest request) {
        return orderStub(request.orderId()).provision(request);
    }

    public OrderProvisioningWorkflow start(OrderRequest request) {
        OrderProvisioningWorkflow order = orderStub(request.orderId());
        WorkflowClient.start(order::provision, request);
        return client.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId(request.orderId()));
    }

    public OrderResult resultOf(String orderId) {
        return client.newUntypedWorkflowStub(OrderIds.workflowId(orderId)).getResult(OrderResult.class);
    }

    public PaymentWorkflow paymentStub(String paymentWorkflowId) {
        return client.newWorkflowStub(PaymentWorkflow.class, paymentWorkflowId);
    }

    public OrderProgress progress(String orderId) {
        return client.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId(orderId)).progress();
    }

    /**
     * Waits until the order's provision child sleeps in its install wait, with no activity in flight. A cancel that
     * lands while an activity is completing makes the test server refuse the child's next task ("ACTIVITY_UNKNOWN"
     * for the activity it asks to cancel) and strands the run; real Temporal accepts it. The step name alone is
     * reported before the install-watch activity runs, so it does not tell.
     */
    public void awaitInstallWait(String orderId) {
        String child = ProvisionServerWorkflow.workflowId(orderId, 1);
        eventually(() -> client.fetchHistory(child).getEvents().stream()
                .anyMatch(HistoryEvent::hasTimerStartedEventAttributes));
    }

    /** Waits in real time (time skipping stays locked while nobody waits for a result). */
    public static void eventually(BooleanSupplier condition) {
        long until = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < until) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // e.g. a query before the workflow's first task
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("condition not met within 15s");
    }

    /**
     * Whether the latest run of {@code workflowId} is running, from DescribeWorkflowExecution: answered by the test
     * server alone, unlike a query, which is a task for the worker and may race the workflow's own tasks.
     */
    public boolean running(String workflowId) {
        return latestRun(workflowId).getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    }

    /** The latest run of {@code workflowId}, described by the test server; fails when it does not exist (yet). */
    public WorkflowExecutionInfo latestRun(String workflowId) {
        try {
            return client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder().setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                    .getWorkflowExecutionInfo();
        } catch (io.grpc.StatusRuntimeException notYet) {
            return WorkflowExecutionInfo.getDefaultInstance();
        }
    }

    public WorkflowStub untyped(String workflowId) {
        return client.newUntypedWorkflowStub(workflowId);
    }

    public Duration skip(Duration d) {
        env.sleep(d);
        return d;
    }

    @Override
    public void close() {
        env.close();
    }
}
