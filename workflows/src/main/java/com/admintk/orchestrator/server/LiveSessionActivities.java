package com.admintk.orchestrator.server;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The live WebSocket sessions of a server, on the {@code orchestration} task queue beside the server records: a
 * suspension or termination ends every watch of the server at once, on every API instance, instead of at each
 * socket's next periodic check.
 */
@ActivityInterface
public interface LiveSessionActivities {

    /** The reasons a watch ends with: the same error codes the REST routes answer for such a server. */
    String SUSPENDED = "SERVER_SUSPENDED";
    String TERMINATED = "SERVER_TERMINATED";

    /**
     * Ends every live session watching the server, with {@code reason}. Idempotent: a repeat finds nothing left to
     * close.
     */
    @ActivityMethod
    void closeServerSessions(String serverId, String reason);
}
