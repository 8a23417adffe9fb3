package com.admintk.orchestrator.server;

import jakarta.inject.Singleton;

/** Thin adapter from the lifecycle's store steps to MongoDB. */
@Singleton
public class ServerActivitiesImpl implements ServerActivities {

    private final ServerStore servers;

    public ServerActivitiesImpl(ServerStore servers) {
        this.servers = servers;
    }

    @Override
    public void markServerStatus(String serverId, ServerStatusUpdate update) {
        servers.markStatus(serverId, update);
    }

    @Override
    public void changeServerPlan(String serverId, ServerPlanChange change) {
        servers.changePlan(serverId, change);
    }
}
