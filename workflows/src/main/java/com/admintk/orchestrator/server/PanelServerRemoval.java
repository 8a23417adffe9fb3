package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.Failures;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;

/**
 * Removes a panel server, with the time-based fallback to force delete: the one rule for a termination and for the
 * undo of a provisioning, so both treat a dead node the same way.
 *
 * <p>A normal delete first: it removes the server's files on the node. The panel refuses it while Wings is down,
 * and a dead node would keep the server forever, so once the node has been unreachable for
 * {@code forceDeleteAfterSeconds} (workflow time: the same on replay, and independent of how fast retries happen to
 * run) the panel's record is force-deleted. A node that comes back in the meantime gets the normal delete.
 *
 * <p>{@code panel} must let {@link PanelFailures#NODE_UNREACHABLE} and {@link PanelFailures#NOT_FOUND} reach the
 * workflow at once (the lifecycle action options); any other failure that outlasts its retries is thrown.
 */
public final class PanelServerRemoval {

    private static final Logger log = Workflow.getLogger(PanelServerRemoval.class);

    private PanelServerRemoval() {
    }

    /**
     * {@code who} names the server in the log; zero or negative timings take {@link LifecyclePolicy}'s defaults;
     * {@code region} is the server's panel (null: the default region).
     */
    public static ServerTermination remove(PterodactylActivities panel, int panelServerId, String region,
                                           long forceDeleteAfterSeconds, long nodeRecheckSeconds, String who) {
        long forceAfter = Duration.ofSeconds(positive(forceDeleteAfterSeconds,
                LifecyclePolicy.DEFAULT_FORCE_DELETE_AFTER_SECONDS)).toMillis();
        Duration recheck = Duration.ofSeconds(positive(nodeRecheckSeconds,
                LifecyclePolicy.DEFAULT_NODE_RECHECK_SECONDS));
        long unreachableSince = -1;
        while (true) {
            long now = Workflow.currentTimeMillis();
            try {
                return new ServerTermination(panel.removeServer(panelServerId, region), false,
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
                log.warn("{}: node unreachable for {}s, force-deleting panel server {}", who, unreachableFor / 1000,
                        panelServerId);
                return new ServerTermination(panel.forceRemoveServer(panelServerId, region), true, unreachableFor / 1000);
            }
            Workflow.sleep(recheck);
        }
    }

    private static long positive(long value, long fallback) {
        return value > 0 ? value : fallback;
    }
}
