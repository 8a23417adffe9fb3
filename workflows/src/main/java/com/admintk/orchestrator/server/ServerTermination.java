package com.admintk.orchestrator.server;

/**
 * Result of {@link TerminateServerWorkflow}: whether a panel server was removed (false when it was already gone),
 * and whether that took a force delete because its node stayed unreachable.
 */
public record ServerTermination(boolean deletedOnPanel, boolean forced, long unreachableForSeconds) {
}
