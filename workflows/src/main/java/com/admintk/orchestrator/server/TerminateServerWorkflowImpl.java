package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.Failures;
import com.admintk.orchestrator.notification.ServerNotification;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;

public class TerminateServerWorkflowImpl implements TerminateServerWorkflow {

    private static final Logger log = Workflow.getLogger(TerminateServerWorkflowImpl.class);

    private final ServerActionSteps steps = new ServerActionSteps();

    @Override
    public ServerTermination terminate(ServerAction action) {
        ServerTermination removed = deleteFromPanel(action);
        steps.markStore(action, ServerLifecycleState.Status.TERMINATED, null);
        steps.notifyCustomer(action, ServerNotification.TERMINATED, null);
        return removed;
    }

    /**
     * A normal delete first: it removes the server's files on the node. The panel refuses it while Wings is down,
     * and a dead node would keep a terminated server forever, so once the node has been unreachable for the
     * policy's time (workflow time: the same on replay, and independent of how fast retries happen to run) the
     * panel's record is force-deleted. A node that comes back in the meantime gets the normal delete.
     */
    private ServerTermination deleteFromPanel(ServerAction action) {
        if (action.panelServerId() <= 0) {
            return new ServerTermination(false, false, 0);
        }
        long forceAfter = Duration.ofSeconds(positive(action.forceDeleteAfterSeconds(),
                LifecyclePolicy.DEFAULT_FORCE_DELETE_AFTER_SECONDS)).toMillis();
        Duration recheck = Duration.ofSeconds(positive(action.nodeRecheckSeconds(),
                LifecyclePolicy.DEFAULT_NODE_RECHECK_SECONDS));
        long unreachableSince = -1;
        while (true) {
            long now = Workflow.currentTimeMillis();
            try {
                return new ServerTermination(steps.panel.removeServer(action.panelServerId()), false,
                        unreachableSince < 0 ? 0 : (now - unreachableSince) / 1000);
            } catch (ActivityFailure failure) {
                if (Failures.hasType(failure, PanelFailures.NOT_FOUND)) {
                    return new ServerTermination(false, false, 0);
                }
                if (!Failures.hasType(failure, PanelFailures.NODE_UNREACHABLE)) {
                    throw failure;
                }
            }
            now = Workflow.currentTimeMillis();
            if (unreachableSince < 0) {
                unreachableSince = now;
            }
            long unreachableFor = now - unreachableSince;
            if (unreachableFor >= forceAfter) {
                log.warn("server {}: node unreachable for {}s, force-deleting panel server {}", action.serverId(),
                        unreachableFor / 1000, action.panelServerId());
                return new ServerTermination(steps.panel.forceRemoveServer(action.panelServerId()), true,
                        unreachableFor / 1000);
            }
            Workflow.sleep(recheck);
        }
    }

    private static long positive(long value, long fallback) {
        return value > 0 ? value : fallback;
    }
}
