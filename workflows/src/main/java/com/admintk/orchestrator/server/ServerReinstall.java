package com.admintk.orchestrator.server;

/**
 * Input of {@link ReinstallServerWorkflow}: the panel server, and how to wait for its install, with provisioning's
 * rules (deadline, first poll interval doubled up to the maximum). Zero means provisioning's default.
 */
public record ServerReinstall(String serverId,
                              int panelServerId,
                              long installDeadlineSeconds,
                              long installPollInitialSeconds,
                              long installPollMaxSeconds) {
}
