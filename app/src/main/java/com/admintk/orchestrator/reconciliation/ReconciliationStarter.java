package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.config.RunsWorkers;
import com.admintk.orchestrator.temporal.TemporalSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the reconciliation loop from every process that polls the {@code maintenance} queue. The workflow id is
 * fixed, so all but the first start find it running; a loop that ended because it was turned off starts again
 * from the next process that has it on.
 */
@Singleton
@Requires(condition = RunsWorkers.class)
public class ReconciliationStarter {

    private static final Logger LOG = LoggerFactory.getLogger(ReconciliationStarter.class);

    private final WorkflowClient temporal;
    private final TemporalSettings temporalSettings;
    private final ReconciliationSettings settings;
    private final PanelRegions regions;

    public ReconciliationStarter(WorkflowClient temporal, TemporalSettings temporalSettings,
                                 ReconciliationSettings settings, PanelRegions regions) {
        this.regions = regions;
        this.temporal = temporal;
        this.temporalSettings = temporalSettings;
        this.settings = settings;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        boolean maintenance = temporalSettings.taskQueues().stream().map(String::trim)
                .anyMatch(TaskQueues.MAINTENANCE::equals);
        if (!maintenance || !settings.enabled()) {
            return;
        }
        // One loop per region: each compares its own panel with that region's records.
        for (String region : regions.names()) {
            start(region);
        }
    }

    private void start(String region) {
        String id = ReconciliationWorkflow.workflowId(region, regions.defaultRegion());
        ReconciliationWorkflow loop = temporal.newWorkflowStub(ReconciliationWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(id).setTaskQueue(TaskQueues.MAINTENANCE).build());
        try {
            WorkflowClient.start(loop::run, ReconciliationCarry.first(region));
            LOG.info("Reconciliation of region {} started (every {})", region, settings.interval());
        } catch (WorkflowExecutionAlreadyStarted running) {
            LOG.debug("Reconciliation of region {} already running", region);
        } catch (RuntimeException unreachable) {
            // The loop is not this process's reason to live: the next start, or an admin's "run now", starts it.
            LOG.warn("Could not start reconciliation of region {}: {}", region, unreachable.toString());
        }
    }
}
