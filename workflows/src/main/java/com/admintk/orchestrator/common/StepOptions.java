package com.admintk.orchestrator.common;

import com.admintk.orchestrator.payment.PaymentFailures;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;

import java.time.Duration;

/**
 * Activity options per kind of step, so the workflows read as the business process and the failure-mode decisions
 * sit in one place.
 */
public final class StepOptions {

    /** Panel answers that no retry can fix: fail the step at once (see PanelFailures). */
    private static final String[] PANEL_FINAL = {
            PanelFailures.VALIDATION, PanelFailures.NO_CAPACITY, PanelFailures.NOT_FOUND, PanelFailures.ACCESS_DENIED};

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
     * Undoing on the panel must eventually happen: every failure retries (an operator may fix a key in the
     * meantime) for a day before the saga gives up and reports it.
     */
    public static ActivityOptions panelCompensation() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PTERODACTYL)
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setScheduleToCloseTimeout(Duration.ofDays(1))
                .setRetryOptions(backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), 0))
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

    /** Giving money back or cancelling a provider payment: retried for three days unless refused for good. */
    public static ActivityOptions paymentCompensation() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PAYMENTS)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(Duration.ofDays(3))
                .setRetryOptions(backoff(Duration.ofSeconds(2), Duration.ofMinutes(10), 0,
                        PaymentFailures.REFUND_REJECTED))
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

    /** A notification: a few tries, then the saga moves on without it. */
    public static ActivityOptions notification() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.NOTIFICATIONS)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(Duration.ofMinutes(10))
                .setRetryOptions(backoff(Duration.ofSeconds(2), Duration.ofMinutes(1), 5))
                .build();
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
