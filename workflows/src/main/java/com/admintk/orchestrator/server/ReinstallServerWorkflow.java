package com.admintk.orchestrator.server;

import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Reinstalls one server: the panel reinstall, then polls until it is installed again, with provisioning's deadline
 * and backoff. Fails with {@code INSTALL_FAILED} or {@code INSTALL_DEADLINE} (the lifecycle alerts the operators and
 * tells the customer). A child of the server's lifecycle, id {@code server:{serverId}:reinstall:{requestId}}; its
 * panel calls run on the {@code pterodactyl} queue, one call each, and it waits on durable timers.
 */
@WorkflowInterface
public interface ReinstallServerWorkflow {

    static String workflowId(String serverId, String requestId) {
        return ServerLifecycleWorkflow.workflowId(serverId) + ":reinstall:" + requestId;
    }

    @WorkflowMethod
    PanelServerRef reinstall(ServerReinstall reinstall);
}
