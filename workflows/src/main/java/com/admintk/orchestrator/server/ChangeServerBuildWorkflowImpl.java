package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.PaymentActivities;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentResult;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import com.admintk.orchestrator.pterodactyl.ResolvedEgg;
import com.admintk.orchestrator.pterodactyl.ServerBuild;
import com.admintk.orchestrator.pterodactyl.ServerStartup;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;

import static com.admintk.orchestrator.common.Failures.reasonOf;

public class ChangeServerBuildWorkflowImpl implements ChangeServerBuildWorkflow {

    private final PterodactylActivities panel =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCall());
    /** Putting the old build back must eventually happen, like any undo. */
    private final PterodactylActivities panelUndo =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCompensation());
    /** A credit the customer is owed is retried like a refund. */
    private final PaymentActivities wallet =
            Workflow.newActivityStub(PaymentActivities.class, StepOptions.paymentCompensation());

    @Override
    public ServerBuildChanged change(ServerBuildChange change) {
        int server = change.panelServerId();
        String region = change.region();
        PlanSnapshot plan = change.plan();
        ServerBuild previous = panel.getServerBuild(server, region);
        ServerStartup previousStartup = panel.getServerStartup(server, region);
        ServerBuild target = buildOf(plan, previous);
        ServerStartup targetStartup = previousStartup.eggId() == plan.eggId() ? null : startupOf(plan, region);

        Saga undo = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
        try {
            undo.addCompensation(panelUndo::updateBuild, server, previous, region);
            panel.updateBuild(server, target, region);
            if (targetStartup != null) {
                undo.addCompensation(panelUndo::updateStartup, server, previousStartup, region);
                panel.updateStartup(server, targetStartup, region);
            }
            PaymentResult paid = charge(change);
            credit(change);
            return new ServerBuildChanged(previous, target, targetStartup != null,
                    paid == null ? null : paid.paymentId(), paid == null ? 0 : paid.coins(),
                    paid == null ? 0 : paid.amountMinor(), change.creditCoins());
        } catch (TemporalFailure failure) {
            // The customer keeps what they paid for, never more: the old build goes back.
            Workflow.newDetachedCancellationScope(undo::compensate).run();
            if (failure instanceof ChildWorkflowFailure notPaid) {
                throw ApplicationFailure.newNonRetryableFailureWithCause("the plan change was not paid: "
                        + reasonOf(notPaid), NOT_PAID, notPaid);
            }
            throw failure;
        }
    }

    /** Limits from the plan; the allocation stays the server's unless the plan pins one. */
    private static ServerBuild buildOf(PlanSnapshot plan, ServerBuild current) {
        return new ServerBuild(plan.allocationId() == null ? current.allocationId() : plan.allocationId(),
                plan.limits(), plan.featureLimits() == null ? current.featureLimits() : plan.featureLimits());
    }

    /** Another egg is another game: its variables come from the new plan and the egg's defaults. */
    private ServerStartup startupOf(PlanSnapshot plan, String region) {
        ResolvedEgg egg = panel.resolveEggVariables(plan.nestId(), plan.eggId(), plan.environment(),
                java.util.Map.of(), region);
        return new ServerStartup(plan.eggId(), firstNonBlank(plan.dockerImage(), egg.dockerImage()),
                firstNonBlank(plan.startup(), egg.startup()), egg.environment());
    }

    private PaymentResult charge(ServerBuildChange change) {
        if (change.charge() == null) {
            return null;
        }
        return Workflow.newChildWorkflowStub(PaymentWorkflow.class, ChildWorkflowOptions.newBuilder()
                        .setWorkflowId(PaymentIds.workflowId(change.charge().paymentId()))
                        .setTaskQueue(TaskQueues.ORCHESTRATION)
                        .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                        .setCancellationType(ChildWorkflowCancellationType.TRY_CANCEL)
                        // A payment id names one charge: never run it a second time.
                        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                        .build())
                .pay(change.charge());
    }

    private void credit(ServerBuildChange change) {
        if (change.creditCoins() > 0) {
            wallet.creditWallet(PaymentIds.creditKey(change.changeId()), change.customerId(), change.creditCoins(),
                    "plan change of server " + change.serverId() + " to " + change.plan().planId()
                            + ": the unused part of the period");
        }
    }

    private static String firstNonBlank(String preferred, String fallback) {
        return preferred == null || preferred.isBlank() ? fallback : preferred;
    }
}
