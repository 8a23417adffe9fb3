package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.server.InstallWatchActivities;
import io.temporal.failure.ApplicationFailure;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The install watch list in memory: journals {@code watch.install:<panelServerId>} and
 * {@code watch.end:<panelServerId>:<poll|other>}; {@link #watching} is what the watcher would see. {@link #enabled}
 * false answers as with install events off; {@link #redisDown} fails every attempt.
 */
public class FakeInstallWatch implements InstallWatchActivities {

    private final Journal journal;
    public final Map<Integer, String> watching = new ConcurrentHashMap<>();
    public volatile boolean enabled = true;
    public volatile boolean redisDown;

    public FakeInstallWatch(Journal journal) {
        this.journal = journal;
    }

    @Override
    public boolean watchInstall(int panelServerId, String panelServerUuid, String workflowId, String region) {
        if (redisDown) {
            throw ApplicationFailure.newFailure("Redis write failed: connection refused", "InstallWatchUnavailable");
        }
        if (!enabled) {
            return false;
        }
        journal.add("watch.install:" + panelServerId);
        watching.put(panelServerId, workflowId);
        return true;
    }

    @Override
    public void unwatchInstall(int panelServerId, boolean installSeenByPoll, String region) {
        if (redisDown) {
            throw ApplicationFailure.newFailure("Redis write failed: connection refused", "InstallWatchUnavailable");
        }
        journal.add("watch.end:" + panelServerId + ":" + (installSeenByPoll ? "poll" : "other"));
        watching.remove(panelServerId);
    }
}
