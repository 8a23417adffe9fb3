package com.admintk.orchestrator.server;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Makes one order's server on the panel: ensure the panel user, create the server (idempotent by external_id), wait
 * until it is installed. A child of the order, id {@code order:{orderId}:provision:{attempt}} ({@link #workflowId});
 * its panel calls run on the {@code pterodactyl} queue.
 *
 * <p>It owns its undo: when it fails or is cancelled after the create was sent, it deletes the server (in a detached
 * scope) before it ends, so the order only has to refund. A server on a dead node is force-deleted by the
 * termination's time-based rule ({@link ProvisionRequest#forceDeleteAfterSeconds()}). Every activity it runs makes one
 * panel call: the decisions between the calls (which user, whether to look the server up) are made here. The failure it ends with is the forward step's, with the
 * types of {@code OrderFailures} ({@code INSTALL_FAILED}, {@code INSTALL_DEADLINE}) and {@code PanelFailures}.
 * An undo that gave up is reported as a {@link ProvisionProgress.Kind#UNDO_GAVE_UP} event before that.
 *
 * <p>Each step is reported to {@link ProvisionRequest#progressWorkflowId()}, so the order's timeline shows
 * ensurePanelUser, createServer and awaitInstalled live, as it did when they were its own steps. From change
 * {@code progress-batches} the events go out as {@link #PROGRESS_BATCH_SIGNAL} signals, each holding the events since
 * the last one, sent before the child next blocks; the last events come with the result
 * ({@link ProvisionedServer#progress()}), and the listener marks ensurePanelUser started when it starts the child.
 * Runs from before send one {@link #PROGRESS_SIGNAL} per event.
 *
 * <p>The install wait is woken by {@link #INSTALL_SIGNAL} (change {@code install-signal}, version 1): once the create
 * has answered, the server is listed for the install watcher ({@link InstallWatchActivities}), which signals when
 * Wings says {@code install completed}. The signal only cuts the wait short: one {@code getServer} still decides, and
 * the polling (initial interval doubling up to the maximum) goes on as before when no signal comes.
 */
@WorkflowInterface
public interface ProvisionServerWorkflow {

    /** The signal name a progress listener declares for {@link ProvisionProgress} events. */
    String PROGRESS_SIGNAL = "provisionProgress";
    /**
     * Version 1 reports progress in batches ({@link #PROGRESS_BATCH_SIGNAL}): the events since the last batch go out
     * in one signal before the child next blocks (a step's activities, an install wait, the undo), and the last ones
     * ride on the result. The first step's start is not sent: the listener marks it when it starts the child. Each
     * signal costs a workflow task on both sides; the default version sent every event on its own (seven signals for
     * an order that installs at once, two from version 1).
     */
    String PROGRESS_BATCHES = "progress-batches";

    /** The signal name a listener declares for {@link ProvisionProgressBatch} events ({@link #PROGRESS_BATCHES}). */
    String PROGRESS_BATCH_SIGNAL = "provisionProgressBatch";

    String STEP_ENSURE_PANEL_USER = "ensurePanelUser";
    String STEP_CREATE_SERVER = "createServer";
    String STEP_AWAIT_INSTALLED = "awaitInstalled";

    /** The signal the install watcher sends when Wings says {@code install completed} (finished or failed). */
    String INSTALL_SIGNAL = "installFinished";

    static String workflowId(String orderId, int attempt) {
        return "order:" + orderId + ":provision:" + Math.max(1, attempt);
    }

    /**
     * The id of a later placement of the same attempt: an order that waited for capacity tries again with a child of
     * its own ({@code placement} 2, 3...), the first one keeps {@link #workflowId(String, int)}.
     */
    static String workflowId(String orderId, int attempt, int placement) {
        return placement <= 1 ? workflowId(orderId, attempt) : workflowId(orderId, attempt) + ":" + placement;
    }

    @WorkflowMethod
    ProvisionedServer provision(ProvisionRequest request);

    /** Wings reported the end of the install: look at the server now instead of at the next poll. */
    @SignalMethod(name = INSTALL_SIGNAL)
    void installFinished();
}
