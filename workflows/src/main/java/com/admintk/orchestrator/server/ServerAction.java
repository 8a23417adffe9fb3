package com.admintk.orchestrator.server;

/**
 * Input of the panel-side child workflows of a lifecycle (suspend, unsuspend, terminate): which server, whom to
 * tell, why, and {@code actionKey}, stable per action, which keys the notification and the store write.
 * {@code forceDeleteAfterSeconds} and {@code nodeRecheckSeconds} are for termination only.
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
                           long nodeRecheckSeconds) {
}
