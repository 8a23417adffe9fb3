package com.admintk.orchestrator.server;

/**
 * What the store's server record learns from the lifecycle. {@code status} is a {@link ServerLifecycleState.Status}
 * name; {@code renewsAtMillis} 0 leaves the renewal date as it is.
 */
public record ServerStatusUpdate(String status,
                                 SuspensionReason suspension,
                                 String reason,
                                 long renewsAtMillis,
                                 long atMillis) {
}
