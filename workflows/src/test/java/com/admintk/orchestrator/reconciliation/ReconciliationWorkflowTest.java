package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.pterodactyl.ServerSpec;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowStub;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.admintk.orchestrator.reconciliation.ReconciliationRig.PLAN;
import static com.admintk.orchestrator.reconciliation.ReconciliationRig.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReconciliationWorkflowTest {

    @Test
    void aPassRepairsSuspensionAndLimitsAndTheNextPassAfterTheIntervalFindsThePanelConverged() {
        try (ReconciliationRig rig = new ReconciliationRig()) {
            rig.panel.createdAtMillis = rig.env.currentTimeMillis() - Duration.ofDays(2).toMillis();
            rig.panel.put(1, "order:ok", false, PLAN);
            rig.panel.put(2, "order:should-be-suspended", false, PLAN);
            rig.panel.put(3, "order:should-run", true, PLAN);
            rig.panel.put(4, "order:shrunk", false, new ServerSpec.Limits(1024, 0, 20480, 500, 200));
            rig.panel.put(5, "order:ghost", false, PLAN);
            rig.store.put("srv-ok", "order:ok", "ACTIVE");
            rig.store.put("srv-susp", "order:should-be-suspended", "SUSPENDED");
            rig.store.put("srv-run", "order:should-run", "PAST_DUE");
            rig.store.put("srv-shrunk", "order:shrunk", "ACTIVE");
            rig.store.put("srv-gone", "order:gone", "ACTIVE");

            WorkflowExecution firstRun = rig.start();
            eventually(() -> rig.store.reports.size() == 1);
            ReconciliationReport first = rig.store.reports.get(0);
            assertEquals(Map.of(DriftKind.ORPHAN, 1, DriftKind.MISSING_FROM_PANEL, 1, DriftKind.SUSPENSION_MISMATCH, 2,
                    DriftKind.LIMIT_MISMATCH, 1, DriftKind.STUCK_INSTALLING, 0), first.counts());
            assertEquals(List.of("list", "suspend 2", "unsuspend 3", "build 4"), rig.panel.calls,
                    "one call per repair; the orphan is kept (deletion off) and nothing can restore a missing server");
            assertTrue(first.items().stream().filter(i -> i.kind() == DriftKind.SUSPENSION_MISMATCH
                    || i.kind() == DriftKind.LIMIT_MISMATCH).allMatch(ReconciliationReport.Item::repaired), first.items().toString());
            assertTrue(first.items().stream().filter(i -> i.kind() == DriftKind.ORPHAN
                    || i.kind() == DriftKind.MISSING_FROM_PANEL).noneMatch(ReconciliationReport.Item::repaired));

            // Sleeping out the interval: the loop continued as new, and the second pass finds only what it may not fix.
            rig.env.sleep(Duration.ofMinutes(10).plusSeconds(1));
            eventually(() -> rig.store.reports.size() == 2);
            ReconciliationReport second = rig.store.reports.get(1);
            assertEquals(Map.of(DriftKind.ORPHAN, 1, DriftKind.MISSING_FROM_PANEL, 1, DriftKind.SUSPENSION_MISMATCH, 0,
                    DriftKind.LIMIT_MISMATCH, 0, DriftKind.STUCK_INSTALLING, 0), second.counts());
            assertEquals(List.of("list", "suspend 2", "unsuspend 3", "build 4", "list"), rig.panel.calls);
            assertNotEquals(first.id(), second.id(), "one report per pass");
            assertEquals(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW, status(rig, firstRun));
            assertEquals(2, rig.workflow().state().passes());
        }
    }

    /**
     * The signal goes to whichever run is current. The test server answers "not found" to a signal that arrives while
     * the loop continues as new (the old run closed, the new one not yet started), so the test retries. The API signals
     * with start ({@code ReconciliationService.runNow}), which cannot miss the loop that way.
     */
    private static void runNow(ReconciliationWorkflow workflow, String requestId) {
        for (int attempt = 1; ; attempt++) {
            try {
                workflow.runNow(requestId);
                return;
            } catch (io.temporal.client.WorkflowNotFoundException betweenRuns) {
                if (attempt == 5) {
                    throw betweenRuns;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw betweenRuns;
                }
            }
        }
    }

    @Test
    void runNowCutsTheSleepShortAndTheReportNamesTheRequest() {
        try (ReconciliationRig rig = new ReconciliationRig()) {
            rig.start();
            ReconciliationWorkflow workflow = rig.workflow();
            eventually(() -> rig.store.reports.size() == 1);
            runNow(workflow, "req-1");
            runNow(workflow, "req-1");
            eventually(() -> rig.store.reports.size() == 2);
            assertEquals(List.of(), rig.store.reports.get(0).requests());
            assertEquals(List.of("req-1"), rig.store.reports.get(1).requests(), "a repeated request is answered once");
            assertTrue(rig.env.currentTimeMillis() - rig.store.reports.get(0).startedAtMillis() < Duration.ofMinutes(10).toMillis(),
                    "no interval was slept");
        }
    }

    @Test
    void orphansOlderThanTheSafetyAgeAreDeletedWhenEnabledAndAFailedRepairIsReported() {
        try (ReconciliationRig rig = new ReconciliationRig()) {
            rig.store.policy = new ReconciliationPolicy(true, 600, true, true, 86_400, 1_800);
            rig.panel.createdAtMillis = rig.env.currentTimeMillis() - Duration.ofDays(2).toMillis();
            rig.panel.put(1, "order:old-ghost", false, PLAN);
            rig.panel.put(2, "order:dead-node", true, PLAN);
            rig.panel.createdAtMillis = rig.env.currentTimeMillis() - Duration.ofMinutes(5).toMillis();
            rig.panel.put(3, "order:young-ghost", false, PLAN);
            rig.panel.unreachable.add(2);
            rig.store.put("srv-dead", "order:dead-node", "ACTIVE");

            rig.start();
            eventually(() -> rig.store.reports.size() == 1);
            assertEquals(List.of("list", "delete 1", "unsuspend 2"), rig.panel.calls);
            assertFalse(rig.panel.servers.containsKey(1));
            assertTrue(rig.panel.servers.containsKey(3), "younger than the safety age");
            ReconciliationReport.Item failed = rig.store.reports.get(0).items().stream()
                    .filter(i -> i.kind() == DriftKind.SUSPENSION_MISMATCH).findFirst().orElseThrow();
            assertFalse(failed.repaired());
            assertTrue(failed.error().contains("PanelNodeUnreachable"), failed.error());
        }
    }

    @Test
    void turnedOffByConfigurationTheLoopEndsWithoutAPass() {
        try (ReconciliationRig rig = new ReconciliationRig()) {
            rig.store.policy = new ReconciliationPolicy(false, 600, true, false, 86_400, 1_800);
            rig.start();
            WorkflowStub.fromTyped(rig.workflow()).getResult(Void.class);
            assertEquals(List.of(), rig.store.reports);
            assertEquals(List.of(), rig.panel.calls);
        }
    }

    private static WorkflowExecutionStatus status(ReconciliationRig rig, WorkflowExecution run) {
        return rig.client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder().setNamespace(rig.client.getOptions().getNamespace())
                        .setExecution(run).build()).getWorkflowExecutionInfo().getStatus();
    }
}
