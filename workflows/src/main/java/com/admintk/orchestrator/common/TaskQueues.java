package com.admintk.orchestrator.common;

import java.util.List;

/** The task queues of DESIGN.md. Workers choose which of these they poll by configuration. */
public final class TaskQueues {
    /** Workflow tasks of every workflow type. */
    public static final String ORCHESTRATION = "orchestration";
    /** Pterodactyl panel calls, under one global rate limit. */
    public static final String PTERODACTYL = "pterodactyl";
    public static final String PAYMENTS = "payments";
    public static final String NOTIFICATIONS = "notifications";
    /** Low priority: reconciliation of the panel with the store (its workflow tasks and store calls). */
    public static final String MAINTENANCE = "maintenance";

    public static final List<String> ALL = List.of(ORCHESTRATION, PTERODACTYL, PAYMENTS, NOTIFICATIONS, MAINTENANCE);

    private TaskQueues() {
    }
}
