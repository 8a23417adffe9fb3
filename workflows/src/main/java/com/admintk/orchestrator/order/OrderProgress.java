package com.admintk.orchestrator.order;

import java.util.List;

/** Answer of the {@link OrderProvisioningWorkflow#progress()} query. */
public record OrderProgress(String orderId,
                            OrderStatus status,
                            String reason,
                            String currentStep,
                            String paymentWorkflowId,
                            String serverId,
                            List<StepRecord> timeline) {
}
