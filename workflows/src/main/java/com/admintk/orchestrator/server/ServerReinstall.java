package com.admintk.orchestrator.server;

/**
 * Input of {@link ReinstallServerWorkflow}: the panel server, and how to wait for its install, with provisioning's
 * rules (deadline, first poll interval doubled up to the maximum). Zero means provisioning's default. {@code region}
 * is the server's panel (null: the default region).
 */
public record ServerReinstall(String serverId,
                              int panelServerId,
                              long installDeadlineSeconds,
                              long installPollInitialSeconds,
                              long installPollMaxSeconds,
                              String region) {

    /** The shape recorded before regions: the default region. */
    public ServerReinstall(String serverId, int panelServerId, long installDeadlineSeconds,
                           long installPollInitialSeconds, long installPollMaxSeconds) {
        this(serverId, panelServerId, installDeadlineSeconds, installPollInitialSeconds, installPollMaxSeconds, null);
    }
}
