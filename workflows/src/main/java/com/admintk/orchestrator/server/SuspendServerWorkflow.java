package com.admintk.orchestrator.server;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Suspends one server: panel suspend, then the store's record, then the customer is told. A child of the server's
 * lifecycle, id {@code server:{serverId}:suspend:{n}}; its panel call runs on the {@code pterodactyl} queue. The
 * panel's suspend is a no-op on a suspended server, so a repeat has one effect. Closing live console sessions is
 * the live-ops issue's hook.
 */
@WorkflowInterface
public interface SuspendServerWorkflow {

    @WorkflowMethod
    void suspend(ServerAction action);
}
