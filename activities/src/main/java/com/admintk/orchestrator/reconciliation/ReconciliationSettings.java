package com.admintk.orchestrator.reconciliation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * {@code orchestrator.reconciliation.*}: how the panel is reconciled with the store. Read by the worker at the
 * start of every pass ({@link ReconciliationPolicy}).
 *
 * @param enabled              run the loop (this process starts it when it runs the maintenance queue)
 * @param interval             the sleep between two passes
 * @param repair               re-apply the store's suspension and the plan's limits on the panel
 * @param deleteOrphans        delete orphans older than {@code orphanSafetyAge}; off by default
 * @param orphanSafetyAge      the youngest orphan that may be deleted
 * @param installingStuckAfter how long a server may install before it is reported
 * @param keepReports          how many reports are kept (the oldest go first)
 */
@ConfigurationProperties("orchestrator.reconciliation")
public record ReconciliationSettings(@Bindable(defaultValue = "true") boolean enabled,
                                     @NotNull @Bindable(defaultValue = "10m") Duration interval,
                                     @Bindable(defaultValue = "true") boolean repair,
                                     @Bindable(defaultValue = "false") boolean deleteOrphans,
                                     @NotNull @Bindable(defaultValue = "24h") Duration orphanSafetyAge,
                                     @NotNull @Bindable(defaultValue = "30m") Duration installingStuckAfter,
                                     @Min(1) @Max(10_000) @Bindable(defaultValue = "100") int keepReports) {

    public ReconciliationPolicy policy() {
        return new ReconciliationPolicy(enabled, interval.toSeconds(), repair, deleteOrphans,
                orphanSafetyAge.toSeconds(), installingStuckAfter.toSeconds());
    }
}
