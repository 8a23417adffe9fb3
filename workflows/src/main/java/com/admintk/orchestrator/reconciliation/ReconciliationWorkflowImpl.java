package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.common.Failures;
import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

public class ReconciliationWorkflowImpl implements ReconciliationWorkflow {

    /** The shortest sleep between passes: a zero or negative interval must not spin. */
    static final long MIN_INTERVAL_SECONDS = 1;

    private static final String[] REPAIR_FINAL = Stream.concat(PanelFailures.FINAL_FOR_FORWARD_STEPS.stream(),
            Stream.of(PanelFailures.NODE_UNREACHABLE)).toArray(String[]::new);

    private final ReconciliationActivities store = Workflow.newActivityStub(ReconciliationActivities.class,
            maintenance());
    private final ReconciliationPanelActivities panelList = Workflow.newActivityStub(
            ReconciliationPanelActivities.class, StepOptions.panelCall());
    private final ReconciliationPanelActivities panelRepair = Workflow.newActivityStub(
            ReconciliationPanelActivities.class, repair());

    private final List<String> pending = new ArrayList<>();
    private long passes;
    private String lastReportId;
    private String region;

    @Override
    public void run(ReconciliationCarry carry) {
        passes = carry.passes();
        lastReportId = carry.lastReportId();
        region = carry.region();
        carry.pendingRequests().forEach(this::runNow);

        ReconciliationPolicy policy = store.reconciliationPolicy();
        if (!policy.enabled()) {
            // Turned off by configuration: end here; the next process that has it on starts it again.
            return;
        }
        List<String> answered = List.copyOf(pending);
        pending.clear();
        lastReportId = pass(policy, answered);
        passes++;

        Workflow.await(Duration.ofSeconds(Math.max(MIN_INTERVAL_SECONDS, policy.intervalSeconds())),
                () -> !pending.isEmpty());
        Workflow.continueAsNew(new ReconciliationCarry(passes, List.copyOf(pending), lastReportId, region));
    }

    @Override
    public void runNow(String requestId) {
        if (requestId != null && !pending.contains(requestId)) {
            pending.add(requestId);
        }
    }

    @Override
    public ReconciliationCarry state() {
        return new ReconciliationCarry(passes, List.copyOf(pending), lastReportId, region);
    }

    /** One comparison, its repairs and its report; answers the report's id. */
    private String pass(ReconciliationPolicy policy, List<String> requests) {
        long startedAt = Workflow.currentTimeMillis();
        PanelInventory panel = panelList.listPanelServers(region);
        StoreInventory records = store.listStoreServers(region);
        List<Drift> drifts = DriftFinder.find(panel, records, policy, Workflow.currentTimeMillis());

        List<ReconciliationReport.Item> items = new ArrayList<>();
        for (Drift drift : drifts) {
            items.add(repair(drift));
        }
        Map<DriftKind, Integer> counts = new EnumMap<>(DriftKind.class);
        for (DriftKind kind : DriftKind.values()) {
            counts.put(kind, 0);
        }
        drifts.forEach(drift -> counts.merge(drift.kind(), 1, Integer::sum));

        // One pass per run: the run id names the report, the same on every retry of the save.
        String reportId = "rec_" + Workflow.getInfo().getRunId();
        store.saveReconciliationReport(new ReconciliationReport(reportId, startedAt, Workflow.currentTimeMillis(),
                panel.servers().size(), records.servers().size(), policy.repair(), policy.deleteOrphans(), requests,
                counts, items, region));
        return reportId;
    }

    /** Makes the drift's repair, if any; a repair that fails is reported and left for the next pass. */
    private ReconciliationReport.Item repair(Drift drift) {
        String error = null;
        boolean repaired = false;
        if (drift.repair() != Drift.Repair.NONE) {
            try {
                switch (drift.repair()) {
                    case SUSPEND -> panelRepair.reapplySuspension(drift.panelServerId(), region);
                    case UNSUSPEND -> panelRepair.liftStraySuspension(drift.panelServerId(), region);
                    case APPLY_PLAN_LIMITS -> panelRepair.reapplyPlanLimits(drift.panelServerId(), drift.build(),
                            region);
                    case DELETE_ORPHAN -> panelRepair.deleteOrphan(drift.panelServerId(), region);
                    default -> throw new IllegalStateException(drift.repair().name());
                }
                repaired = true;
            } catch (ActivityFailure failure) {
                error = Failures.reasonOf(failure);
            }
        }
        return new ReconciliationReport.Item(drift.kind(), drift.externalId(), drift.panelServerId(),
                drift.serverId(), drift.detail(), drift.repair(), repaired, error);
    }

    private static ActivityOptions maintenance() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.MAINTENANCE)
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setScheduleToCloseTimeout(Duration.ofHours(1))
                .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
                        .setMaximumInterval(Duration.ofMinutes(1)).build())
                .build();
    }

    /**
     * A repair retries for a few minutes only, and not at all on a dead node: the next pass tries again, so a node
     * that stays down must not hold the report back for the hours a lifecycle action waits.
     */
    private static ActivityOptions repair() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PTERODACTYL)
                .setStartToCloseTimeout(Duration.ofSeconds(60))
                .setScheduleToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(2))
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setDoNotRetry(REPAIR_FINAL).build())
                .build();
    }
}
