package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.testing.SagaRig;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static com.admintk.orchestrator.testing.SagaRig.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerLifecycleWorkflowTest {

    private final SagaRig rig = new SagaRig();

    @AfterEach
    void close() {
        rig.close();
    }

    private ServerLifecycleWorkflow start(long renewsAt) {
        ServerLifecycleWorkflow stub = rig.client.newWorkflowStub(ServerLifecycleWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(ServerLifecycleWorkflow.workflowId("srv-1"))
                        .setTaskQueue(TaskQueues.ORCHESTRATION).build());
        WorkflowClient.start(stub::run, new ServerLifecycleInput("srv-1", "o-1", "cust-42", "paper-4g", 101,
                "order:o-1", BillingCycle.MONTHLY, PaymentMethod.TKCOINS, 500, 0, null, renewsAt, null, null, 1));
        return rig.client.newWorkflowStub(ServerLifecycleWorkflow.class, ServerLifecycleWorkflow.workflowId("srv-1"));
    }

    @Test
    void aPaidRenewalMovesTheDateOneCycleInANewRun() {
        long renewsAt = rig.env.currentTimeMillis() + Duration.ofDays(30).toMillis();
        ServerLifecycleWorkflow server = start(renewsAt);
        eventually(() -> server.state().status() == ServerLifecycleState.Status.ACTIVE);

        server.paymentReceived("renewal-1");
        eventually(() -> server.state().cycle() == 2);

        assertEquals(BillingCycle.MONTHLY.nextRenewal(renewsAt), server.state().renewsAtMillis());
    }

    @Test
    void unpaidRenewalIsDueAndAdminSignalsAreRecorded() {
        ServerLifecycleWorkflow server = start(rig.env.currentTimeMillis() + Duration.ofDays(30).toMillis());
        rig.skip(Duration.ofDays(31));
        eventually(() -> server.state().status() == ServerLifecycleState.Status.RENEWAL_DUE);

        server.adminSuspend("abuse");
        eventually(() -> server.state().status() == ServerLifecycleState.Status.SUSPENDED);
        server.adminUnsuspend("cleared");
        eventually(() -> server.state().status() == ServerLifecycleState.Status.RENEWAL_DUE);
        server.adminTerminate("customer left");
        rig.untyped(ServerLifecycleWorkflow.workflowId("srv-1")).getResult(Void.class);
    }
}
