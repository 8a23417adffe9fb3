package com.admintk.orchestrator.live;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * The circuit breaker in front of the live panel calls ({@code orchestrator.live.breaker.*}).
 *
 * @param failureRateThreshold  percentage of failed calls in the window that opens the breaker
 * @param slidingWindow         how many of the latest calls the rates are computed over
 * @param minimumCalls          calls needed in the window before a rate counts (one failure of one call is no outage)
 * @param waitInOpenState       how long an open breaker refuses every call before letting trial calls through
 * @param halfOpenCalls         trial calls after the wait; their failure rate closes the breaker or opens it again
 * @param slowCallThreshold     a call slower than this counts as slow
 * @param slowCallRateThreshold percentage of slow calls in the window that opens the breaker (a panel that answers in
 *                              20 s is as unusable for a person as one that does not answer)
 */
@ConfigurationProperties("orchestrator.live.breaker")
public record BreakerSettings(@Bindable(defaultValue = "50") @Min(1) @Max(100) int failureRateThreshold,
                              @Bindable(defaultValue = "20") @Min(1) int slidingWindow,
                              @Bindable(defaultValue = "10") @Min(1) int minimumCalls,
                              @Bindable(defaultValue = "30s") @NotNull Duration waitInOpenState,
                              @Bindable(defaultValue = "3") @Min(1) int halfOpenCalls,
                              @Bindable(defaultValue = "5s") @NotNull Duration slowCallThreshold,
                              @Bindable(defaultValue = "80") @Min(1) @Max(100) int slowCallRateThreshold) {
}
