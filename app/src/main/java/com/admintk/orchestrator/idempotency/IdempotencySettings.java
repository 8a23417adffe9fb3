package com.admintk.orchestrator.idempotency;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * @param abandonedAfter when an unfinished first request counts as abandoned, so a retry with its key may run
 *                       ({@code IDEMPOTENCY_ABANDONED_AFTER}). A first request whose store went away mid-way could
 *                       not release its key; without this, its key would answer 409 forever. Far above the longest
 *                       request (every dependency call is bounded, see {@code DependencyTimeouts}).
 */
@ConfigurationProperties("orchestrator.idempotency")
public record IdempotencySettings(@NotNull @Bindable(defaultValue = "2m") Duration abandonedAfter) {
}
