package com.admintk.orchestrator.wallet;

import com.admintk.orchestrator.common.Failures;
import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.payment.PaymentActivities;
import com.admintk.orchestrator.payment.PaymentFailures;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentRequest;
import com.admintk.orchestrator.payment.PaymentResult;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.payment.RefundRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;

public class WalletTopUpWorkflowImpl implements WalletTopUpWorkflow {

    private static final Logger log = Workflow.getLogger(WalletTopUpWorkflowImpl.class);
    /** Payment failure types passed on as the top-up's reason code; anything else reads as PAYMENT_ERROR. */
    private static final List<String> PAYMENT_REASONS = List.of(PaymentFailures.PAYMENT_DECLINED,
            PaymentFailures.PAYMENT_TIMEOUT, PaymentFailures.PAYMENT_INVALID, PaymentFailures.PAYMENT_ERROR);

    private final WalletActivities wallet = Workflow.newActivityStub(WalletActivities.class, creditOptions());
    private final TopUpActivities records = Workflow.newActivityStub(TopUpActivities.class, StepOptions.store());
    private final PaymentActivities refunds =
            Workflow.newActivityStub(PaymentActivities.class, StepOptions.paymentCompensation());

    private TopUpRequest request;
    private PaymentRequest payment;
    private TopUpStatus status = TopUpStatus.PENDING;

    @Override
    public TopUpResult topUp(TopUpRequest request) {
        this.request = request;
        this.payment = paymentRequest(request);
        PaymentResult paid;
        try {
            paid = chargeCard();
        } catch (ChildWorkflowFailure notPaid) {
            // The payment workflow gives back whatever it took before it fails: there is nothing to undo here.
            return failed(null, reasonCode(notPaid), Failures.reasonOf(notPaid));
        }
        WalletCredit credit;
        try {
            credit = creditCoins();
        } catch (ActivityFailure refused) {
            giveBack(paid, Failures.reasonOf(refused));
            return failed(paid.providerPaymentId(), TopUpFailures.CREDIT_FAILED, Failures.reasonOf(refused));
        }
        records.markTopUpCredited(request.topUpId(), paid.providerPaymentId(), credit.ledgerKey(), credit.balanceAfter());
        status = TopUpStatus.CREDITED;
        return new TopUpResult(request.topUpId(), status, payment.paymentId(), paid.providerPaymentId(),
                credit.ledgerKey(), credit.balanceAfter(), null, null);
    }

    @Override
    public TopUpStatus status() {
        return status;
    }

    private PaymentResult chargeCard() {
        PaymentWorkflow card = Workflow.newChildWorkflowStub(PaymentWorkflow.class, paymentChildOptions());
        return card.pay(payment);
    }

    private WalletCredit creditCoins() {
        return wallet.credit(TopUpIds.creditKey(request.topUpId()), request.customerId(), request.coins(),
                "top-up " + request.topUpId());
    }

    /** Runs only when the wallet refused the credit for good: the customer paid for coins they did not get. */
    private void giveBack(PaymentResult paid, String why) {
        log.warn("top-up {}: the wallet refused the credit ({}), refunding the card payment", request.topUpId(), why);
        refunds.refund(PaymentIds.refundKey(payment.paymentId()),
                RefundRequest.of(payment, paid, "top-up not credited: " + why));
    }

    private TopUpResult failed(String providerPaymentId, String reasonCode, String reason) {
        records.markTopUpFailed(request.topUpId(), providerPaymentId, reasonCode, reason);
        status = TopUpStatus.FAILED;
        return new TopUpResult(request.topUpId(), status, payment.paymentId(), providerPaymentId, null, 0,
                reasonCode, reason);
    }

    private static String reasonCode(ChildWorkflowFailure failure) {
        return PAYMENT_REASONS.stream().filter(type -> Failures.hasType(failure, type)).findFirst()
                .orElse(PaymentFailures.PAYMENT_ERROR);
    }

    private static PaymentRequest paymentRequest(TopUpRequest request) {
        // No order: the payment is known to Stripe by its payment_id metadata, which routes the webhook here.
        return new PaymentRequest(TopUpIds.paymentId(request.topUpId()), null, request.customerId(),
                request.customerEmail(), PaymentMethod.CARD, 0, request.amountMinor(), request.currency(),
                "TK-Coins top-up: " + request.coins() + " coins", request.cardDeadlineSeconds());
    }

    private ChildWorkflowOptions paymentChildOptions() {
        return ChildWorkflowOptions.newBuilder()
                .setWorkflowId(PaymentIds.workflowId(payment.paymentId()))
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
                .build();
    }

    /**
     * The card is already charged when this runs, so the credit keeps trying as long as an undo would (a database
     * outage must not cost the customer their coins); only a refusal for good ends it, and then the payment is
     * refunded.
     */
    private static ActivityOptions creditOptions() {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.PAYMENTS)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setScheduleToCloseTimeout(StepOptions.COMPENSATION_WINDOW)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(StepOptions.COMPENSATION_MAX_BACKOFF)
                        .setDoNotRetry(TopUpFailures.LEDGER_KEY_REUSED)
                        .build())
                .build();
    }
}
