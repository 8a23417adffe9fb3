package com.admintk.orchestrator.capacity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * {@code orchestrator.capacity.*}: how checkouts reserve room on the panel's nodes before any money moves.
 *
 * @param cacheTtl       how long the panel's figures (nodes, free allocations) are reused before they are asked
 *                       again; also the age of {@code GET /api/v1/plans} availability
 * @param reservationTtl how long a reservation lives unless its saga holds it again: longer than a card payment's
 *                       deadline plus an install, so only a saga whose workers are all gone lets it lapse
 * @param placedLinger   how long a released reservation whose server now stands on its allocation keeps counting,
 *                       until every cached copy of the panel's figures shows that server (at least twice the
 *                       cache TTL is used)
 */
@ConfigurationProperties("orchestrator.capacity")
public record CapacitySettings(@NotNull @Bindable(defaultValue = "3s") Duration cacheTtl,
                               @NotNull @Bindable(defaultValue = "1h") Duration reservationTtl,
                               @NotNull @Bindable(defaultValue = "30s") Duration placedLinger) {

    public Duration effectiveLinger() {
        Duration floor = cacheTtl.multipliedBy(2).plusSeconds(1);
        return placedLinger.compareTo(floor) < 0 ? floor : placedLinger;
    }
}
