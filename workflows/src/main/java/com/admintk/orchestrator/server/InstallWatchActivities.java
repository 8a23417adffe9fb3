package com.admintk.orchestrator.server;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The watch list of servers whose install a provisioning waits for, kept by the {@code orchestration} worker beside
 * the server records (local activities of the provision child from {@code local-install-watch} version 1): one Redis
 * write each, no panel call. The one install watcher of the worker fleet opens each listed
 * server's Wings socket and, on {@code install completed}, signals the workflow
 * ({@link ProvisionServerWorkflow#INSTALL_SIGNAL}) and drops the entry. The workflow's own polling stays the fallback,
 * so losing an entry only costs time.
 */
@ActivityInterface
public interface InstallWatchActivities {

    /**
     * Lists the server for watching, for the workflow {@code workflowId}. Returns false, writing nothing, when install
     * events are turned off ({@code INSTALL_EVENTS_ENABLED=false}): the workflow then only polls. Idempotent.
     * {@code region}: the server's panel (null: the default region).
     */
    @ActivityMethod
    boolean watchInstall(int panelServerId, String panelServerUuid, String workflowId, String region);

    /**
     * Takes the server off the list. {@code installSeenByPoll}: the workflow saw the install finish by its own
     * polling (counted beside the installs the watcher signalled). Idempotent.
     */
    @ActivityMethod
    void unwatchInstall(int panelServerId, boolean installSeenByPoll, String region);
}
