package com.admintk.orchestrator.server;

import com.admintk.orchestrator.pterodactyl.PanelUserRequest;
import com.admintk.orchestrator.pterodactyl.ServerSpec;

/**
 * Input of {@link ProvisionServerWorkflow}. {@code spec.panelUserId()} is filled in by the child once the panel user
 * is ensured. The install timings are the order's ({@code OrderOptions}, defaults applied). {@code progressWorkflowId}
 * is told each step ({@link ProvisionServerWorkflow#PROGRESS_SIGNAL}); null tells nobody.
 * {@code forceDeleteAfterSeconds} and {@code nodeRecheckSeconds} rule the undo on a dead node as they rule a
 * termination (the order's {@link LifecyclePolicy}; zero takes its defaults). {@code region} is the panel every call
 * goes to (null: the default region, as for children started before regions).
 */
public record ProvisionRequest(String orderId,
                               int attempt,
                               String externalId,
                               PanelUserRequest panelUser,
                               ServerSpec spec,
                               long installDeadlineSeconds,
                               long installPollInitialSeconds,
                               long installPollMaxSeconds,
                               String progressWorkflowId,
                               long forceDeleteAfterSeconds,
                               long nodeRecheckSeconds,
                               String region) {

    /** The shape recorded before regions: the default region. */
    public ProvisionRequest(String orderId, int attempt, String externalId, PanelUserRequest panelUser, ServerSpec spec,
                            long installDeadlineSeconds, long installPollInitialSeconds, long installPollMaxSeconds,
                            String progressWorkflowId, long forceDeleteAfterSeconds, long nodeRecheckSeconds) {
        this(orderId, attempt, externalId, panelUser, spec, installDeadlineSeconds, installPollInitialSeconds,
                installPollMaxSeconds, progressWorkflowId, forceDeleteAfterSeconds, nodeRecheckSeconds, null);
    }
}
