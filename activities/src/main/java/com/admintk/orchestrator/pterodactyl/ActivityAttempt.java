package com.admintk.orchestrator.pterodactyl;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The Temporal activity attempt the current thread runs in, if any. Temporal starts the next attempt as soon as this
 * one's start-to-close (or the whole schedule-to-close) runs out, whether or not this one is still talking to the
 * panel; so every panel request of an attempt must end before that instant, or two attempts of one call overlap.
 * Outside an activity (tools, tests calling the client directly) there is no such deadline.
 */
final class ActivityAttempt {

    /**
     * Kept free at the end of an attempt so that its failure reaches Temporal before the timeout does (and clocks of
     * worker and server may differ a little).
     */
    static final Duration SAFETY_MARGIN = Duration.ofSeconds(2);

    private ActivityAttempt() {
    }

    /** The instant the current attempt must have finished its panel requests by. */
    static Optional<Instant> deadline() {
        return context().flatMap(ActivityAttempt::deadlineOf);
    }

    static Optional<Instant> deadlineOf(ActivityExecutionContext context) {
        ActivityInfo info = context.getInfo();
        Instant deadline = null;
        // A local activity has no started time (the SDK leaves it 0): its attempt starts when the worker schedules
        // it, at once in the workflow task that asked for it.
        long attemptStarted = info.getStartedTimestamp() > 0 ? info.getStartedTimestamp()
                : info.getCurrentAttemptScheduledTimestamp();
        if (isSet(info.getStartToCloseTimeout()) && attemptStarted > 0) {
            deadline = Instant.ofEpochMilli(attemptStarted).plus(info.getStartToCloseTimeout());
        }
        if (isSet(info.getScheduleToCloseTimeout()) && info.getScheduledTimestamp() > 0) {
            Instant whole = Instant.ofEpochMilli(info.getScheduledTimestamp()).plus(info.getScheduleToCloseTimeout());
            deadline = deadline == null || whole.isBefore(deadline) ? whole : deadline;
        }
        return Optional.ofNullable(deadline).map(d -> d.minus(SAFETY_MARGIN));
    }

    /**
     * Tells Temporal the attempt is alive between two panel calls of one activity; it also delivers a cancellation
     * (as an exception) before the next call is made.
     */
    static void heartbeat() {
        context().ifPresent(context -> context.heartbeat(null));
    }

    /** {@code workflowId activityId attempt}, for the panel's request logs; null outside an activity. */
    static String describe() {
        return context().map(ActivityExecutionContext::getInfo)
                .map(info -> info.getWorkflowId() + " " + info.getActivityId() + " " + info.getAttempt())
                .orElse(null);
    }

    private static Optional<ActivityExecutionContext> context() {
        try {
            return Optional.of(Activity.getExecutionContext());
        } catch (IllegalStateException notInAnActivity) {
            return Optional.empty();
        }
    }

    private static boolean isSet(Duration timeout) {
        return timeout != null && !timeout.isZero() && !timeout.isNegative();
    }
}
