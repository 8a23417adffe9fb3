package com.admintk.orchestrator.payment;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.StepOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static com.admintk.orchestrator.common.Failures.hasType;

public class PaymentWorkflowImpl implements PaymentWorkflow {

    private static final Logger log = Workflow.getLogger(PaymentWorkflowImpl.class);
    private static final Duration DEFAULT_CARD_DEADLINE = Duration.ofMinutes(30);

    private final PaymentActivities charges =
            Workflow.newActivityStub(PaymentActivities.class, StepOptions.paymentCharge());
    private final PaymentActivities compensations =
            Workflow.newActivityStub(PaymentActivities.class, StepOptions.paymentCompensation());

    private PaymentRequest request;
    private PaymentStatus status = PaymentStatus.PENDING;
    private String providerPaymentId;
    private String clientSecret;
    private String failureReason;
    /** Set once a charge call was sent: from then on, giving up means giving back. */
    private boolean chargeAttempted;

    private final Set<String> seenEventIds = new HashSet<>();
    private final List<CardPaymentEvent> events = new ArrayList<>();
    private int eventsIgnored;

    @Override
    public PaymentResult pay(PaymentRequest request) {
        this.request = request;
        Workflow.upsertTypedSearchAttributes(
                SearchAttributes.ORDER_ID.valueSet(request.orderId()),
                SearchAttributes.CUSTOMER_ID.valueSet(request.customerId()));
        try {
            PaymentResult result = payOrGiveBack();
            status = PaymentStatus.SUCCEEDED;
            return result;
        } catch (TemporalFailure failure) {
            if (!CancellationScope.current().isCancelRequested()) {
                throw failure;
            }
            // Cancelled while waiting or while a charge call was in flight (the call has finished: the charge
            // options wait for it), so undo whatever it did.
            giveBackWhatWasTaken("payment cancelled");
            status = PaymentStatus.CANCELLED;
            failureReason = "cancelled";
            throw failure instanceof CanceledFailure c ? c : new CanceledFailure("payment cancelled");
        }
    }

    private PaymentResult payOrGiveBack() {
        try {
            return request.method() == PaymentMethod.TKCOINS ? payWithCoins() : payWithCard();
        } catch (ApplicationFailure knownOutcome) {
            // Our own verdicts (declined, no funds, timeout): nothing was taken.
            failureReason = knownOutcome.getOriginalMessage();
            throw knownOutcome;
        } catch (TemporalFailure unexpected) {
            if (CancellationScope.current().isCancelRequested()) {
                throw unexpected;
            }
            // A charge call gave up after its retries: we cannot know whether it landed, so undo it.
            giveBackWhatWasTaken("payment error");
            status = PaymentStatus.FAILED;
            failureReason = describe(unexpected);
            throw ApplicationFailure.newNonRetryableFailureWithCause(
                    "payment failed: " + failureReason, PaymentFailures.PAYMENT_ERROR, unexpected);
        }
    }

    @Override
    public void webhook(CardPaymentEvent event) {
        if (event == null || !seenEventIds.add(event.eventId())) {
            eventsIgnored++;
            return;
        }
        events.add(event);
    }

    @Override
    public PaymentDetails details() {
        return new PaymentDetails(request == null ? null : request.paymentId(),
                request == null ? null : request.method(), status, providerPaymentId, clientSecret, failureReason,
                events.size(), eventsIgnored);
    }

    private PaymentResult payWithCoins() {
        status = PaymentStatus.CHARGING;
        chargeAttempted = true;
        LedgerDebit debit;
        try {
            debit = charges.debit(PaymentIds.debitKey(request.paymentId()), request.customerId(), request.coins());
        } catch (ActivityFailure failure) {
            if (hasType(failure, PaymentFailures.INSUFFICIENT_FUNDS)) {
                status = PaymentStatus.DECLINED;
                throw ApplicationFailure.newNonRetryableFailure(
                        "not enough TK-Coins for " + request.coins(), PaymentFailures.INSUFFICIENT_FUNDS);
            }
            throw failure;
        }
        return new PaymentResult(request.paymentId(), PaymentMethod.TKCOINS, true, debit.entryId(), null,
                request.coins(), 0, null);
    }

    private PaymentResult payWithCard() {
        status = PaymentStatus.CHARGING;
        chargeAttempted = true;
        CardPayment created;
        try {
            created = charges.createCardPayment(PaymentIds.cardPaymentKey(request.paymentId()), request.amountMinor(),
                    request.currency(), new CardPaymentContext(request.paymentId(), request.orderId(),
                            request.customerId(), request.customerEmail(), request.description()));
        } catch (ActivityFailure failure) {
            if (hasType(failure, PaymentFailures.PAYMENT_DECLINED) || hasType(failure, PaymentFailures.PAYMENT_INVALID)) {
                status = PaymentStatus.DECLINED;
                throw ApplicationFailure.newNonRetryableFailure(
                        "card payment refused: " + describe(failure), PaymentFailures.PAYMENT_DECLINED);
            }
            throw failure;
        }
        providerPaymentId = created.providerPaymentId();
        clientSecret = created.clientSecret();
        status = PaymentStatus.AWAITING_CUSTOMER;

        boolean decided = Workflow.await(cardDeadline(), () -> decisiveEvent().isPresent());
        if (!decided) {
            // Cancel first: the customer may be paying right now, and only the provider knows who won.
            if (cancelProviderPayment().succeeded()) {
                return cardResult();
            }
            status = PaymentStatus.EXPIRED;
            throw ApplicationFailure.newNonRetryableFailure(
                    "no payment confirmation before the deadline", PaymentFailures.PAYMENT_TIMEOUT);
        }
        CardPaymentEvent decision = decisiveEvent().orElseThrow();
        if (decision.succeeded()) {
            return cardResult();
        }
        // A failed attempt leaves the intent payable with another card; close it so a late success cannot charge
        // an order that is already failed.
        if (cancelProviderPayment().succeeded()) {
            return cardResult();
        }
        status = PaymentStatus.DECLINED;
        throw ApplicationFailure.newNonRetryableFailure("card declined: "
                + Optional.ofNullable(decision.failureMessage()).orElse("payment failed"), PaymentFailures.PAYMENT_DECLINED);
    }

    /** The first succeeded/failed event for our provider payment; other events and other payments do not count. */
    private Optional<CardPaymentEvent> decisiveEvent() {
        return events.stream()
                .filter(e -> e.succeeded() || e.paymentFailed())
                .filter(e -> providerPaymentId != null && providerPaymentId.equals(e.providerPaymentId()))
                .findFirst();
    }

    private PaymentResult cardResult() {
        return new PaymentResult(request.paymentId(), PaymentMethod.CARD, true, null, providerPaymentId, 0,
                request.amountMinor(), request.currency());
    }

    private CardPaymentStatus cancelProviderPayment() {
        return compensations.cancelCardPayment("cancel:" + request.paymentId(), providerPaymentId);
    }

    /** Runs detached, so a cancelled payment still cleans up after itself. */
    private void giveBackWhatWasTaken(String reason) {
        if (!chargeAttempted) {
            return;
        }
        Workflow.newDetachedCancellationScope(() -> {
            if (request.method() == PaymentMethod.CARD) {
                if (providerPaymentId == null || !cancelProviderPayment().succeeded()) {
                    // No provider id: the create never answered, so the customer never got a secret to pay with.
                    return;
                }
            }
            RefundReceipt receipt = compensations.refund(PaymentIds.refundKey(request.paymentId()),
                    RefundRequest.of(request, null, reason).withProviderPaymentId(providerPaymentId));
            log.info("payment {} undone after {}: refunded={}", request.paymentId(), reason, receipt.refunded());
        }).run();
    }

    private Duration cardDeadline() {
        return request.cardDeadlineSeconds() > 0 ? Duration.ofSeconds(request.cardDeadlineSeconds()) : DEFAULT_CARD_DEADLINE;
    }

    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root instanceof ApplicationFailure af ? af.getOriginalMessage() : root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
