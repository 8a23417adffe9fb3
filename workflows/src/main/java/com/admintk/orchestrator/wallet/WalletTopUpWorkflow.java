package com.admintk.orchestrator.wallet;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Buys TK-Coins by card, id {@code topup:{topUpId}} ({@link TopUpIds#workflowId}), on the {@code orchestration}
 * task queue: a child {@code PaymentWorkflow} takes the card payment (it waits for the Stripe webhook), then the
 * coins are credited under a ledger key derived from the top-up, so they arrive exactly once. A payment that fails
 * or expires credits nothing.
 */
@WorkflowInterface
public interface WalletTopUpWorkflow {

    @WorkflowMethod
    TopUpResult topUp(TopUpRequest request);

    @QueryMethod
    TopUpStatus status();
}
