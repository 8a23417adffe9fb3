package com.admintk.orchestrator.server;

import io.lettuce.core.RedisException;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;

/** Thin adapter from the provisioning's install wait to the watch list in Redis ({@link InstallWatches}). */
@Singleton
public class InstallWatchActivitiesImpl implements InstallWatchActivities {

    private final InstallWatches watches;

    public InstallWatchActivitiesImpl(InstallWatches watches) {
        this.watches = watches;
    }

    @Override
    public boolean watchInstall(int panelServerId, String panelServerUuid, String workflowId, String region) {
        if (!watches.enabled()) {
            return false;
        }
        try {
            watches.watch(panelServerId, region, panelServerUuid, workflowId);
            return true;
        } catch (RedisException down) {
            throw unavailable(down);
        }
    }

    @Override
    public void unwatchInstall(int panelServerId, boolean installSeenByPoll, String region) {
        try {
            watches.unwatch(panelServerId, region);
        } catch (RedisException down) {
            throw unavailable(down);
        }
        if (installSeenByPoll) {
            watches.seenByPoll();
        }
    }

    private static ApplicationFailure unavailable(RedisException down) {
        return ApplicationFailure.newFailureWithCause("install watch list unavailable: " + down.getMessage(),
                "InstallWatchUnavailable", down);
    }
}
