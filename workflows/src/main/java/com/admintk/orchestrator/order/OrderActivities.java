package com.admintk.orchestrator.order;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

import java.util.List;

/**
 * The order and server records in MongoDB. Served on the {@code orchestration} task queue: the workers that run
 * the workflows host these short store writes too (no panel or provider limits apply to them).
 */
@ActivityInterface
public interface OrderActivities {

    /** Upserts the order's status, reason and timeline. Last write wins; a terminal status is never overwritten. */
    @ActivityMethod
    void markOrderStatus(String orderId, OrderStatus status, String reason, List<StepRecord> timeline);

    /** Upserts the server record keyed by {@code serverId}. */
    @ActivityMethod
    void recordServer(ServerRecord server);

    /** Compensation of {@link #recordServer}: marks the record released. A no-op when there is none. */
    @ActivityMethod
    void forgetServer(String serverId, String reason);
}
