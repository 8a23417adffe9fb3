package com.admintk.orchestrator.live.ws;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The live WebSocket ({@code orchestrator.live.socket.*}).
 *
 * @param authTimeout      a socket that has not authenticated by then is closed (4401)
 * @param recheckInterval  how often an open socket's account, session and watched servers are read back from the
 *                         store (also on every message)
 * @param outboundLimit    messages a socket may have on their way to a slow client; one more closes it (4408)
 * @param maxSubscriptions servers and orders one socket may watch at once
 * @param watchTtl         lifetime of the Redis keys that say who owns a server's Wings socket and which instances
 *                         have watchers: a killed instance's share expires after this
 * @param watchRenew       how often those keys are renewed (well below {@code watchTtl})
 * @param consoleLines     recent console lines kept per watched server (in Redis) for a (re)subscriber's snapshot
 * @param orderPoll        how often a watched order's progress is read
 */
@ConfigurationProperties("orchestrator.live.socket")
public record LiveSocketSettings(@Bindable(defaultValue = "5s") @NotNull Duration authTimeout,
                                 @Bindable(defaultValue = "30s") @NotNull Duration recheckInterval,
                                 @Bindable(defaultValue = "256") @Min(8) @Max(100_000) int outboundLimit,
                                 @Bindable(defaultValue = "20") @Min(1) @Max(1000) int maxSubscriptions,
                                 @Bindable(defaultValue = "15s") @NotNull Duration watchTtl,
                                 @Bindable(defaultValue = "5s") @NotNull Duration watchRenew,
                                 @Bindable(defaultValue = "100") @Min(0) @Max(10_000) int consoleLines,
                                 @Bindable(defaultValue = "2s") @NotNull Duration orderPoll) {
}
