package com.admintk.orchestrator.server;

import com.admintk.orchestrator.pterodactyl.PanelUserRequest;
import com.admintk.orchestrator.pterodactyl.ServerSpec;

/**
 * Input of {@link ProvisionServerWorkflow}. {@code spec.panelUserId()} is filled in by the child once the panel user
 * is ensured. The install timings are the order's ({@code OrderOptions}, defaults applied). {@code progressWorkflowId}
 * is told each step ({@link ProvisionServerWorkflow#PROGRESS_SIGNAL}); null tells nobody.
 */
public record ProvisionRequest(String orderId,
                               int attempt,
                               String externalId,
                               PanelUserRequest panelUser,
                               ServerSpec spec,
                               long installDeadlineSeconds,
                               long installPollInitialSeconds,
                               long installPollMaxSeconds,
                               String progressWorkflowId) {
}
