package com.admintk.orchestrator.pterodactyl;

import io.temporal.failure.ApplicationFailure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Temporal's part of an activity call, as a loop: repeat while the activity fails with a retryable
 * {@link ApplicationFailure}, wait {@code nextRetryDelay} when the failure carries one (429 Retry-After) and a short
 * exponential backoff otherwise; stop at the first non-retryable failure. Counts attempts and records every failure
 * type so tests can report them.
 */
final class TemporalLikeRetry {

    private final int maxAttempts;
    private final Duration initialInterval;
    private final Duration maxInterval;
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger maxAttemptsOfOneCall = new AtomicInteger();
    final List<String> retriedFailures = Collections.synchronizedList(new ArrayList<>());

    TemporalLikeRetry(int maxAttempts, Duration initialInterval, Duration maxInterval) {
        this.maxAttempts = maxAttempts;
        this.initialInterval = initialInterval;
        this.maxInterval = maxInterval;
    }

    <T> T run(Callable<T> activity) throws Exception {
        calls.incrementAndGet();
        Duration backoff = initialInterval;
        for (int attempt = 1; ; attempt++) {
            attempts.incrementAndGet();
            int a = attempt;
            maxAttemptsOfOneCall.accumulateAndGet(a, Math::max);
            try {
                return activity.call();
            } catch (ApplicationFailure failure) {
                if (failure.isNonRetryable() || PanelFailures.FINAL_FOR_FORWARD_STEPS.contains(failure.getType()) || attempt >= maxAttempts) {
                    throw failure;
                }
                retriedFailures.add(failure.getType());
                Duration wait = failure.getNextRetryDelay() != null ? failure.getNextRetryDelay() : backoff;
                Thread.sleep(wait.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(maxInterval) > 0 ? maxInterval : backoff.multipliedBy(2);
            }
        }
    }

    String summary() {
        return String.format("%d calls, %d attempts (%.2f per call, max %d)", calls.get(), attempts.get(),
                attempts.get() / (double) Math.max(1, calls.get()), maxAttemptsOfOneCall.get());
    }
}
