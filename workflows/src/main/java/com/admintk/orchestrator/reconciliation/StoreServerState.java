package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.pterodactyl.ServerSpec;

/**
 * What reconciliation needs of one server record, with the limits of the plan the record names.
 *
 * @param status           ACTIVE, PAST_DUE, SUSPENDED, TERMINATED or RELEASED
 * @param planLimits       the plan's limits, null when the plan is unknown (then limits are not compared)
 * @param planFeatureLimits the plan's feature limits, null when the plan is unknown
 */
public record StoreServerState(String serverId,
                               String externalId,
                               String status,
                               String suspension,
                               String planId,
                               long createdAtMillis,
                               ServerSpec.Limits planLimits,
                               ServerSpec.FeatureLimits planFeatureLimits) {

    public static final String ACTIVE = "ACTIVE";
    public static final String PAST_DUE = "PAST_DUE";
    public static final String SUSPENDED = "SUSPENDED";
    public static final String TERMINATED = "TERMINATED";
    public static final String RELEASED = "RELEASED";

    /** A record that still stands for a server the customer has: it must be on the panel. */
    public boolean live() {
        return !TERMINATED.equals(status) && !RELEASED.equals(status);
    }
}
