package com.admintk.orchestrator.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The cluster-wide stats poller and the resource alerts ({@code orchestrator.live.stats.*}).
 *
 * @param enabled              false: no process polls, evaluates alerts or exports the per-server gauges
 * @param interval             each live server not watched over the WebSocket is polled once per interval
 * @param leaderLease          how long the poller's leadership lasts without renewal; a leader that dies is replaced
 *                             within this. Longer than the interval (the leader renews it at least once per interval)
 * @param leaderKey            Redis key of the lease: one per cluster (every worker of one installation shares it)
 * @param maxServersPerRound   panel calls per interval at most; more live servers than this are covered in turns.
 *                             Per minute it must stay well under {@code panel.rate-limit-per-minute}: the sagas share
 *                             that budget
 * @param cpuAlertPercent      CPU use, in percent of the plan's CPU limit, above which a server is in an episode
 * @param memoryAlertPercent   memory use, in percent of the plan's memory limit, likewise
 * @param alertAfter           how long a server must stay above a level before the alert is raised (one spike is no
 *                             alert)
 */
@ConfigurationProperties("orchestrator.live.stats")
public record LiveStatsSettings(@Bindable(defaultValue = "true") boolean enabled,
                                @Bindable(defaultValue = "60s") @NotNull Duration interval,
                                @Bindable(defaultValue = "150s") @NotNull Duration leaderLease,
                                @Bindable(defaultValue = "live:poller:leader") @NotBlank String leaderKey,
                                @Bindable(defaultValue = "50") @Min(1) int maxServersPerRound,
                                @Bindable(defaultValue = "90") @Min(1) @Max(100) int cpuAlertPercent,
                                @Bindable(defaultValue = "90") @Min(1) @Max(100) int memoryAlertPercent,
                                @Bindable(defaultValue = "5m") @NotNull Duration alertAfter) {

    /** The first problem of these settings as one line naming the variable and the property, or null. */
    public String problem() {
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            return invalid("LIVE_STATS_INTERVAL", "interval", "must be at least 1s, got " + interval);
        }
        if (leaderLease == null || leaderLease.compareTo(interval) <= 0) {
            return invalid("LIVE_STATS_LEADER_LEASE", "leader-lease", "must be longer than the interval ("
                    + interval + "), got " + leaderLease + ": the leader renews it once per interval");
        }
        if (leaderKey == null || leaderKey.isBlank()) {
            return invalid("LIVE_STATS_LEADER_KEY", "leader-key", "must not be empty");
        }
        if (maxServersPerRound < 1) {
            return invalid("LIVE_STATS_MAX_SERVERS", "max-servers-per-round", "must be at least 1, got "
                    + maxServersPerRound);
        }
        if (cpuAlertPercent < 1 || cpuAlertPercent > 100) {
            return invalid("LIVE_STATS_CPU_ALERT_PERCENT", "cpu-alert-percent", "must be 1..100, got "
                    + cpuAlertPercent);
        }
        if (memoryAlertPercent < 1 || memoryAlertPercent > 100) {
            return invalid("LIVE_STATS_MEMORY_ALERT_PERCENT", "memory-alert-percent", "must be 1..100, got "
                    + memoryAlertPercent);
        }
        if (alertAfter == null || alertAfter.isNegative()) {
            return invalid("LIVE_STATS_ALERT_AFTER", "alert-after", "must be zero or positive, got " + alertAfter);
        }
        return null;
    }

    /** Stats older than this are no evidence either way: the writer (poller or WebSocket owner) is gone. */
    public Duration staleAfter() {
        return interval.multipliedBy(3);
    }

    private static String invalid(String env, String property, String why) {
        return env + " (orchestrator.live.stats." + property + ") is invalid: " + why;
    }
}
