package com.admintk.orchestrator.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.micronaut.core.convert.ConversionService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules a server's lifecycle runs with ({@code orchestrator.lifecycle.*}). Each order carries them into its
 * server's lifecycle, so a server keeps the rules it was sold under; a new value applies to servers sold after it.
 *
 * @param dunningOffsets      when each renewal charge is tried, from the renewal date: ascending durations separated
 *                            by commas ({@code 0s,3d,5d}); after the last one fails the server is suspended
 * @param gracePeriod         how long a server suspended for non-payment waits for a payment before termination
 * @param renewalCardDeadline how long one card renewal attempt waits for the payment webhook
 * @param forceDeleteAfter    how long a node must stay unreachable before a terminated server is force-deleted
 * @param nodeRecheck         how often the normal delete is tried again while the node is unreachable
 * @param historyLimit        how many transitions a lifecycle keeps
 * @param billingPeriod       {@code 0s} or empty: the plan's calendar cycle. A positive duration replaces it, for the local
 *                            stack and end-to-end tests, where a month cannot be waited out.
 */
@ConfigurationProperties("orchestrator.lifecycle")
public record LifecycleSettings(@Bindable(defaultValue = "0s,3d,5d") String dunningOffsets,
                                @Bindable(defaultValue = "7d") Duration gracePeriod,
                                @Bindable(defaultValue = "1d") Duration renewalCardDeadline,
                                @Bindable(defaultValue = "30m") Duration forceDeleteAfter,
                                @Bindable(defaultValue = "60s") Duration nodeRecheck,
                                @Bindable(defaultValue = "50") int historyLimit,
                                @Bindable(defaultValue = "0s") String billingPeriod) {

    public LifecyclePolicy toPolicy() {
        return new LifecyclePolicy(offsetsSeconds(dunningOffsets), gracePeriod.toSeconds(),
                renewalCardDeadline.toSeconds(), forceDeleteAfter.toSeconds(), nodeRecheck.toSeconds(), historyLimit,
                billingPeriod == null || billingPeriod.isBlank() ? 0 : duration(billingPeriod).toSeconds());
    }

    /**
     * {@code 0s,3d,5d} as seconds. Refuses an empty schedule, an unreadable or negative duration, and one that goes
     * back in time: the lifecycle would otherwise fall back to its defaults without a word.
     */
    public static List<Long> offsetsSeconds(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected ascending durations separated by commas, e.g. 0s,3d,5d");
        }
        List<Long> offsets = new ArrayList<>();
        long previous = 0;
        for (String part : text.split(",")) {
            long seconds = duration(part.trim()).toSeconds();
            if (seconds < previous) {
                throw new IllegalArgumentException("'" + part.trim() + "' comes before the offset ahead of it: the"
                        + " offsets must be ascending, e.g. 0s,3d,5d");
            }
            offsets.add(seconds);
            previous = seconds;
        }
        return List.copyOf(offsets);
    }

    /** A duration as Micronaut reads one ({@code 90s}, {@code 15m}, {@code 3d}); negative ones are refused. */
    public static Duration duration(String text) {
        Optional<Duration> parsed = text == null || text.isBlank() ? Optional.empty()
                : ConversionService.SHARED.convert(text.trim(), Duration.class);
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 30s, 15m, 3d)");
        }
        if (parsed.get().isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        return parsed.get();
    }
}
