package com.admintk.orchestrator.live;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * Live server operations ({@code orchestrator.live.*}): the panel calls the API makes itself, while a person waits.
 *
 * @param panelTimeout      whole-response timeout of one live panel call. Much shorter than {@code panel.read-timeout}
 *                          (sized for creates that wait on Wings): a person is waiting, and a hung panel must not
 *                          hold API threads for long before the breaker sees it
 * @param maxFileWriteBytes largest file body accepted by the file write route; kept below
 *                          {@code micronaut.server.max-request-size} so an oversized file gets our own 400
 */
@ConfigurationProperties("orchestrator.live")
public record LiveSettings(@Bindable(defaultValue = "10s") @NotNull Duration panelTimeout,
                           @Bindable(defaultValue = "524288") @Min(1) @Max(900_000) int maxFileWriteBytes) {
}
