package com.admintk.orchestrator.server;

/** Answer of the {@link ServerLifecycleWorkflow#state()} query. */
public record ServerLifecycleState(String serverId,
                                   Status status,
                                   long renewsAtMillis,
                                   String reason,
                                   String lastPaymentReference,
                                   int cycle) {

    public enum Status {
        ACTIVE,
        /** The renewal date passed without payment; charging and dunning belong to the lifecycle issue. */
        RENEWAL_DUE,
        SUSPENDED,
        TERMINATED
    }
}
