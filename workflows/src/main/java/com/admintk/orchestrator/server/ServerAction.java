package com.admintk.orchestrator.server;

/**
 * Input of the panel-side child workflows of a lifecycle (suspend, unsuspend, terminate): which server, whom to
 * tell, why, and {@code actionKey}, stable per action, which keys the notification and the store write.
 * {@code forceDeleteAfterSeconds} and {@code nodeRecheckSeconds} are for termination only. {@code region} is the
 * server's panel (null: the default region, as for children started before regions).
 */
public record ServerAction(String serverId,
                           String customerId,
                           String customerEmail,
                           String serverName,
                           int panelServerId,
                           String externalId,
                           SuspensionReason suspension,
                           String reason,
                           String actionKey,
                           long forceDeleteAfterSeconds,
                           long nodeRecheckSeconds,
                           String region) {

    /** The shape recorded before regions: the default region. */
    public ServerAction(String serverId, String customerId, String customerEmail, String serverName, int panelServerId,
                        String externalId, SuspensionReason suspension, String reason, String actionKey,
                        long forceDeleteAfterSeconds, long nodeRecheckSeconds) {
        this(serverId, customerId, customerEmail, serverName, panelServerId, externalId, suspension, reason,
                actionKey, forceDeleteAfterSeconds, nodeRecheckSeconds, null);
    }
}
