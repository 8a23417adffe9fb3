package com.admintk.orchestrator.order;

/**
 * One line of an order's timeline. Times are workflow time (epoch millis), null until they happen.
 * {@code attempts} counts the workflow's calls of the step (install polls for {@code awaitInstalled}); activity
 * retries inside one call are visible in the Temporal Web UI.
 */
public record StepRecord(String name,
                         StepState state,
                         int attempts,
                         String lastError,
                         Long startedAt,
                         Long finishedAt,
                         Long compensatedAt) {

    static StepRecord pending(String name) {
        return new StepRecord(name, StepState.PENDING, 0, null, null, null, null);
    }
}
