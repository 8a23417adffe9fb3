package com.admintk.orchestrator.server;

/**
 * A customer's or operator's request to a server's lifecycle that needs an answer (an Update).
 * {@code requestId} names the request for dedupe: the same id sent again (a double click, a retried HTTP call) is
 * answered with the first answer and has no second effect. {@code actor} is who asked, for the history.
 */
public record ServerActionRequest(String requestId, String actor, String reason) {
}
