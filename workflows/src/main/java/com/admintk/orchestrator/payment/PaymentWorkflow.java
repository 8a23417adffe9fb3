package com.admintk.orchestrator.payment;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One payment, id {@code payment:{paymentId}} ({@link PaymentIds#workflowId}), on the {@code orchestration} task
 * queue; usually a child of the order.
 *
 * <p>Completes with a {@link PaymentResult} when the money is taken. Fails with an {@code ApplicationFailure} of a
 * {@link PaymentFailures} type when it is not, and then nothing is charged: a payment that is cancelled or breaks
 * half-way gives back what it took before it ends.
 */
@WorkflowInterface
public interface PaymentWorkflow {

    @WorkflowMethod
    PaymentResult pay(PaymentRequest request);

    /** A verified provider webhook. Duplicates (same event id) and events of another payment are ignored. */
    @SignalMethod
    void webhook(CardPaymentEvent event);

    @QueryMethod
    PaymentDetails details();
}
