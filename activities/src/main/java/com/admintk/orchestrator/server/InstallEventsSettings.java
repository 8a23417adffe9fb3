package com.admintk.orchestrator.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Install completion delivered by Wings' {@code install completed} event ({@code orchestrator.install-events.*}).
 *
 * @param enabled      false: provisionings list nothing and only poll the panel ({@code INSTALL_POLL_*})
 * @param key          Redis hash of the servers whose install a provisioning waits for (panel server id → uuid,
 *                     workflow id, listed at); one per installation
 * @param leaderKey    Redis key of the watcher's lease: one worker of the fleet holds the Wings sockets
 * @param leaderLease  how long the lease lasts without renewal; a watcher that dies is replaced within this
 * @param scanInterval how often the watcher reads the list (a newly listed server waits at most this for its socket)
 * @param watchTtl     an entry older than this is dropped as left behind (its provisioning ended without taking
 *                     it off); longer than {@code INSTALL_DEADLINE}
 * @param maxSockets   Wings sockets open at most; servers beyond them are left to the polling
 */
@ConfigurationProperties("orchestrator.install-events")
public record InstallEventsSettings(@Bindable(defaultValue = "true") boolean enabled,
                                    @Bindable(defaultValue = "install:watch") @NotBlank String key,
                                    @Bindable(defaultValue = "install:watcher:leader") @NotBlank String leaderKey,
                                    @Bindable(defaultValue = "15s") @NotNull Duration leaderLease,
                                    @Bindable(defaultValue = "500ms") @NotNull Duration scanInterval,
                                    @Bindable(defaultValue = "30m") @NotNull Duration watchTtl,
                                    @Bindable(defaultValue = "200") @Min(1) int maxSockets) {

    /** The first problem of these settings as one line naming the variable and the property, or null. */
    public String problem() {
        if (key == null || key.isBlank()) {
            return invalid("INSTALL_EVENTS_KEY", "key", "must not be empty");
        }
        if (leaderKey == null || leaderKey.isBlank()) {
            return invalid("INSTALL_EVENTS_LEADER_KEY", "leader-key", "must not be empty");
        }
        if (scanInterval == null || scanInterval.compareTo(Duration.ofMillis(50)) < 0) {
            return invalid("INSTALL_EVENTS_SCAN_INTERVAL", "scan-interval", "must be at least 50ms, got "
                    + scanInterval);
        }
        if (leaderLease == null || leaderLease.compareTo(scanInterval.multipliedBy(3)) < 0) {
            return invalid("INSTALL_EVENTS_LEADER_LEASE", "leader-lease", "must be at least three scan intervals ("
                    + scanInterval.multipliedBy(3) + "), got " + leaderLease);
        }
        if (watchTtl == null || watchTtl.compareTo(Duration.ofMinutes(1)) < 0) {
            return invalid("INSTALL_EVENTS_WATCH_TTL", "watch-ttl", "must be at least 1m, got " + watchTtl);
        }
        if (maxSockets < 1) {
            return invalid("INSTALL_EVENTS_MAX_SOCKETS", "max-sockets", "must be at least 1, got " + maxSockets);
        }
        return null;
    }

    private static String invalid(String env, String property, String why) {
        return env + " (orchestrator.install-events." + property + ") is invalid: " + why;
    }
}
