package com.admintk.orchestrator.server;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Moves one server to another plan on the panel and settles the money: reads the current build and startup (to
 * restore them), patches the build (limits, feature limits, allocation), patches the startup when the egg changes,
 * then charges the prorated upgrade through a {@code PaymentWorkflow} child or credits the prorated downgrade to the
 * TK-Coins wallet. If the money cannot be settled, the old build (and the old startup) is put back and the workflow
 * fails with {@link #NOT_PAID}. A child of the server's lifecycle, id {@code server:{serverId}:change-plan:{requestId}};
 * its panel calls run on the {@code pterodactyl} queue, one call each.
 */
@WorkflowInterface
public interface ChangeServerBuildWorkflow {

    /** The failure type when the change was undone because its charge failed. */
    String NOT_PAID = "PLAN_CHANGE_NOT_PAID";

    static String workflowId(String serverId, String requestId) {
        return ServerLifecycleWorkflow.workflowId(serverId) + ":change-plan:" + requestId;
    }

    @WorkflowMethod
    ServerBuildChanged change(ServerBuildChange change);
}
