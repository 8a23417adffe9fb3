package com.admintk.orchestrator.common;

import com.admintk.orchestrator.payment.PaymentFailures;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;

import java.time.Duration;

/**
 * Activity options per kind of step, so the workflows read as the business process and the failure-mode decisions
 * sit in one place.
 */
public final class StepOptions {

    /** Panel answers that end a forward step at once: decided in one place, {@link PanelFailures}. */
    private static final String[] PANEL_FINAL = PanelFailures.FINAL_FOR_FORWARD_STEPS.toArray(String[]::new);

    /**
     * How long an undo keeps trying before the saga gives up and ends {@code COMPENSATION_FAILED}: long enough for
     * an operator to rotate a key or bring a node back, short enough that a stuck undo is alerted within a day.
     */
    public static final Duration COMPENSATION_WINDOW = Duration.ofHours(24);
    /** Cap of the backoff between undo attempts: a fixed problem is noticed within minutes. */
    public static final Duration COMPENSATION_MAX_BACKOFF = Duration.ofMinutes(5);

    private StepOptions() {
    }

    /** A panel read or idempotent write: 429/5xx/timeouts retry with backoff for up to 10 minutes. */
    public static ActivityOptions panelCall() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PTERODACTYL)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(Duration.ofMinutes(10))
                .setRetryOptions(backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0, PANEL_FINAL))
                .build();
    }

    /**
     * Server creation. Cancellation waits for an in-flight create to finish, so the compensation's delete never
     * overtakes the create it undoes.
     */
    public static ActivityOptions panelCreate() {
        return ActivityOptions.newBuilder(panelCall())
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .build();
    }

    /** One install probe: short, a few tries; the install loop itself is the long retry. */
    public static ActivityOptions panelProbe() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PTERODACTYL)
                .setStartToCloseTimeout(Duration.ofSeconds(15))
                .setRetryOptions(backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 5, PANEL_FINAL))
                .build();
    }

    /**
     * Undoing on the panel must eventually happen: every failure retries, a revoked key included (an operator may
     * fix it in the meantime), for {@link #COMPENSATION_WINDOW} before the saga gives up and alerts. Only a failure
     * that proves the server is already gone ends it early.
     */
    public static ActivityOptions panelCompensation() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PTERODACTYL)
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setScheduleToCloseTimeout(COMPENSATION_WINDOW)
                .setRetryOptions(backoff(Duration.ofSeconds(2), COMPENSATION_MAX_BACKOFF, 0,
                        PanelFailures.NOTHING_TO_UNDO.toArray(String[]::new)))
                .build();
    }

    /**
     * A suspend, unsuspend or delete for a server's lifecycle: retried like an undo for
     * {@link #COMPENSATION_WINDOW}, except for the answers in {@link PanelFailures#FINAL_FOR_LIFECYCLE_ACTIONS},
     * which the workflow handles at once.
     */
    public static ActivityOptions panelLifecycleAction() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PTERODACTYL)
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setScheduleToCloseTimeout(COMPENSATION_WINDOW)
                .setRetryOptions(backoff(Duration.ofSeconds(2), COMPENSATION_MAX_BACKOFF, 0,
                        PanelFailures.FINAL_FOR_LIFECYCLE_ACTIONS.toArray(String[]::new)))
                .build();
    }

    /**
     * Holding a capacity reservation before the charge and the create: a sold-out answer is final (the saga fails
     * before money moves, or refunds), Redis or panel trouble retries for a few minutes.
     */
    public static ActivityOptions capacityHold() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PTERODACTYL)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0, PanelFailures.NO_CAPACITY))
                .build();
    }

    /**
     * Giving a reservation back. Retried for an hour at most: a reservation that is never released expires on its
     * own, so there is no point in an undo's day-long window.
     */
    public static ActivityOptions capacityRelease() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PTERODACTYL)
                .setStartToCloseTimeout(Duration.ofSeconds(20))
                .setScheduleToCloseTimeout(Duration.ofHours(1))
                .setRetryOptions(backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0))
                .build();
    }

    /** Taking money: declines and missing funds are final; the call itself is idempotent by key. */
    public static ActivityOptions paymentCharge() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PAYMENTS)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(Duration.ofMinutes(10))
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0,
                        PaymentFailures.INSUFFICIENT_FUNDS, PaymentFailures.PAYMENT_DECLINED,
                        PaymentFailures.PAYMENT_INVALID))
                .build();
    }

    /**
     * Giving money back or cancelling a provider payment: every failure retries for {@link #COMPENSATION_WINDOW}.
     * The refund answers {@code refunded=false} itself when there is nothing to give back, so no failure type
     * means "nothing to undo" here.
     */
    public static ActivityOptions paymentCompensation() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PAYMENTS)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(COMPENSATION_WINDOW)
                .setRetryOptions(backoff(Duration.ofSeconds(2), COMPENSATION_MAX_BACKOFF, 0))
                .build();
    }

    /** Order and server records in MongoDB, served by the {@code orchestration} workers. */
    public static ActivityOptions store() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setStartToCloseTimeout(Duration.ofSeconds(20))
                .setScheduleToCloseTimeout(Duration.ofHours(6))
                .setRetryOptions(backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), 0))
                .build();
    }

    /**
     * Closing a server's live sessions: a few quick tries, then the saga moves on without it (each socket's periodic
     * check ends the watch anyway, only later).
     */
    public static ActivityOptions liveSessionClose() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setScheduleToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 3))
                .build();
    }

    /**
     * Listing a server for the install watcher, or taking it off: a few quick tries, then the provisioning goes on
     * polling without it (an entry left behind expires).
     */
    public static ActivityOptions installWatch() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setStartToCloseTimeout(Duration.ofSeconds(5))
                .setScheduleToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(backoff(Duration.ofMillis(500), Duration.ofSeconds(5), 3))
                .build();
    }

    /** A notification: a few tries, then the saga moves on without it. */
    public static ActivityOptions notification() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.NOTIFICATIONS)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(Duration.ofMinutes(10))
                .setRetryOptions(backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), 5))
                .build();
    }

    /**
     * Telling operators that an undo gave up. Unlike a customer notification it keeps trying for hours: it is the
     * only way a human learns of an orphaned server or an unrefunded charge (the order's state and the metric are
     * recorded before it).
     */
    public static ActivityOptions operatorAlert() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.NOTIFICATIONS)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(Duration.ofHours(6))
                .setRetryOptions(backoff(Duration.ofSeconds(2), COMPENSATION_MAX_BACKOFF, 0))
                .build();
    }

    /**
     * The same step as a local activity: run by the worker that runs the workflow task asking for it, inside that
     * task, with the same timeouts and retries (the task queue does not apply). For a short call on the worker's own
     * connections (Mongo, Redis): it saves the workflow task and the task-queue round trip a scheduled activity costs.
     * The result is recorded as a marker, so a replay does not run it again.
     */
    public static LocalActivityOptions local(ActivityOptions step) {
        LocalActivityOptions.Builder local = LocalActivityOptions.newBuilder().setRetryOptions(step.getRetryOptions());
        if (step.getStartToCloseTimeout() != null) {
            local.setStartToCloseTimeout(step.getStartToCloseTimeout());
        }
        if (step.getScheduleToCloseTimeout() != null) {
            local.setScheduleToCloseTimeout(step.getScheduleToCloseTimeout());
        }
        return local.build();
    }

    private static RetryOptions backoff(Duration initial, Duration max, int maxAttempts, String... doNotRetry) {
        return RetryOptions.newBuilder()
                .setInitialInterval(initial)
                .setBackoffCoefficient(2.0)
                .setMaximumInterval(max)
                .setMaximumAttempts(maxAttempts)
                .setDoNotRetry(doNotRetry)
                .build();
    }
}
