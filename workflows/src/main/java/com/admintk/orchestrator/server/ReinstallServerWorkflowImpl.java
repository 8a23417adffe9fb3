package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.order.OrderFailures;
import com.admintk.orchestrator.order.OrderOptions;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;

import static com.admintk.orchestrator.common.Failures.hasAnyType;
import static com.admintk.orchestrator.common.Failures.reasonOf;

public class ReinstallServerWorkflowImpl implements ReinstallServerWorkflow {

    private static final Logger log = Workflow.getLogger(ReinstallServerWorkflowImpl.class);

    private final PterodactylActivities panel =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCall());
    private final PterodactylActivities installProbe =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelProbe());

    @Override
    public PanelServerRef reinstall(ServerReinstall reinstall) {
        panel.reinstallServer(reinstall.panelServerId(), reinstall.region());
        return awaitInstalled(reinstall, new OrderOptions(reinstall.installDeadlineSeconds(),
                reinstall.installPollInitialSeconds(), reinstall.installPollMaxSeconds(), 0).withDefaults());
    }

    /** As provisioning waits: a growing interval (capped) until installed, failed, or the deadline. */
    private PanelServerRef awaitInstalled(ServerReinstall reinstall, OrderOptions timing) {
        long deadline = Workflow.currentTimeMillis() + timing.installDeadlineSeconds() * 1000;
        long interval = timing.installPollInitialSeconds() * 1000;
        while (true) {
            long remaining = deadline - Workflow.currentTimeMillis();
            if (remaining <= 0) {
                throw ApplicationFailure.newNonRetryableFailure("the reinstall did not finish within "
                        + timing.installDeadlineSeconds() + "s", OrderFailures.INSTALL_DEADLINE);
            }
            Workflow.sleep(Duration.ofMillis(Math.min(interval, remaining)));
            PanelServerRef server;
            try {
                server = installProbe.getServer(reinstall.panelServerId(), reinstall.region());
            } catch (ActivityFailure probeFailed) {
                if (hasAnyType(probeFailed, PanelFailures.FINAL_FOR_FORWARD_STEPS)) {
                    throw probeFailed;
                }
                // A slow or flaky panel is not a failed install: keep polling until the deadline.
                log.info("server {}: install probe failed, polling on: {}", reinstall.serverId(),
                        reasonOf(probeFailed));
                continue;
            }
            if (server.installFailed()) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "the reinstall failed (" + server.status() + ")", OrderFailures.INSTALL_FAILED);
            }
            if (server.installed()) {
                return server;
            }
            interval = Math.min(interval * 2, timing.installPollMaxSeconds() * 1000);
        }
    }
}
