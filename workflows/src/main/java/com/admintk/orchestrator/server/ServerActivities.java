package com.admintk.orchestrator.server;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The server records in MongoDB, on the {@code orchestration} task queue like the order records. */
@ActivityInterface
public interface ServerActivities {

    /**
     * Sets the record's lifecycle status. Idempotent: a repeat writes the same values. A terminated record is never
     * brought back, and never deleted: it stays for audit.
     */
    @ActivityMethod
    void markServerStatus(String serverId, ServerStatusUpdate update);

    /** Sets the record's plan and price after a plan change. Idempotent; a terminated record is left as it is. */
    @ActivityMethod
    void changeServerPlan(String serverId, ServerPlanChange change);
}
