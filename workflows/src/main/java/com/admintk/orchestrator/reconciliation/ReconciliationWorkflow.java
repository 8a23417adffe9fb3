package com.admintk.orchestrator.reconciliation;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Compares every panel server with the store, repairs what is safe, and stores a report: one pass per run, then a
 * durable sleep of the configured interval, then continue-as-new. Runs on the {@code maintenance} task queue with
 * the fixed id {@link #WORKFLOW_ID}, started by the processes that run maintenance workers (a second start finds
 * it running). Temporal Schedules are not used: the local test server has none.
 */
@WorkflowInterface
public interface ReconciliationWorkflow {

    String WORKFLOW_ID = "reconciliation";

    /**
     * One loop per region, each with its own panel's budget and outages: the default region keeps the id it always
     * had ({@link #WORKFLOW_ID}, null or blank {@code region}), another region's is {@code reconciliation:{region}}.
     */
    static String workflowId(String region, String defaultRegion) {
        return region == null || region.isBlank() || region.equals(defaultRegion) ? WORKFLOW_ID
                : WORKFLOW_ID + ":" + region;
    }

    @WorkflowMethod
    void run(ReconciliationCarry carry);

    /** Cuts the sleep short: the next pass starts now and its report lists {@code requestId}. */
    @SignalMethod
    void runNow(String requestId);

    @QueryMethod
    ReconciliationCarry state();
}
