package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.server.LiveSessionActivities;
import io.temporal.failure.ApplicationFailure;

/** Records each close as {@code live.close:<serverId>:<reason>}; {@link #redisDown} fails every attempt. */
public class FakeLiveSessions implements LiveSessionActivities {

    private final Journal journal;
    public volatile boolean redisDown;

    public FakeLiveSessions(Journal journal) {
        this.journal = journal;
    }

    @Override
    public void closeServerSessions(String serverId, String reason) {
        if (redisDown) {
            journal.add("live.closeFailed:" + serverId);
            throw ApplicationFailure.newFailure("Redis publish failed: connection refused", "LiveCloseUnavailable");
        }
        journal.add("live.close:" + serverId + ":" + reason);
    }
}
