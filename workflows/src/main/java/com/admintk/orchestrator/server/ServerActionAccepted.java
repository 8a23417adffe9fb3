package com.admintk.orchestrator.server;

/**
 * The lifecycle's answer to an accepted request: {@code action} (renew, change-plan, reinstall), the id of the
 * workflow that carries it out (for the run link), and whether that workflow was already running for an earlier
 * request (a second reinstall while one runs gets the running one).
 */
public record ServerActionAccepted(String action, String workflowId, boolean alreadyRunning) {
}
