package com.admintk.orchestrator.server;

/**
 * One entry of a server's history: a status change, or an event worth showing without one (a renewal, a scheduled
 * cancellation). {@code suspension} is the suspension reason in force afterwards, null when not suspended.
 */
public record Transition(long atMillis,
                         ServerLifecycleState.Status from,
                         ServerLifecycleState.Status to,
                         SuspensionReason suspension,
                         String reason) {
}
