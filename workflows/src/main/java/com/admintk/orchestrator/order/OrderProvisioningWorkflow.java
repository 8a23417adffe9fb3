package com.admintk.orchestrator.order;

import com.admintk.orchestrator.server.ProvisionProgress;
import com.admintk.orchestrator.server.ProvisionProgressBatch;
import com.admintk.orchestrator.server.ProvisionServerWorkflow;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Checkout to running server, id {@code order:{orderId}} ({@link OrderIds#workflowId}), on the {@code orchestration}
 * task queue. Always completes (never fails) with an {@link OrderResult} in a terminal status: {@code ACTIVE},
 * {@code FAILED} (nothing charged), {@code REFUNDED} (charged, then refunded), {@code CANCELLED}, or
 * {@code COMPENSATION_FAILED} (an undo gave up after its retry window; operators are alerted).
 */
@WorkflowInterface
public interface OrderProvisioningWorkflow {

    @WorkflowMethod
    OrderResult provision(OrderRequest request);

    /**
     * Cancel the order: whatever was done is undone (server deleted, charge refunded) and it ends {@code CANCELLED}.
     * Honoured until the server is recorded; later the server belongs to the customer and ends through termination.
     * Workflow cancellation through the client has the same effect at any step.
     */
    @SignalMethod
    void cancel(String reason);

    /**
     * An operator added capacity: an order in {@code WAITING_FOR_CAPACITY} tries to place its server again (and waits
     * again if there is still no room). Ignored by orders that are not waiting; one that is between two tries takes
     * it as a reason to try once more at once.
     */
    @SignalMethod
    void capacityAdded();

    /** Step events of this order's {@code ProvisionServerWorkflow} child, kept in the timeline. */
    @SignalMethod(name = ProvisionServerWorkflow.PROGRESS_SIGNAL)
    void provisionProgress(ProvisionProgress event);

    /** Step events of the child in batches (its change {@code progress-batches}), applied in order. */
    @SignalMethod(name = ProvisionServerWorkflow.PROGRESS_BATCH_SIGNAL)
    void provisionProgressBatch(ProvisionProgressBatch batch);

    @QueryMethod
    OrderProgress progress();
}
