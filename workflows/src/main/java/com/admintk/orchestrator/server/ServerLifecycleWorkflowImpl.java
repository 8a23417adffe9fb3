package com.admintk.orchestrator.server;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.notification.OperatorAlert;
import com.admintk.orchestrator.notification.ServerNotification;
import com.admintk.orchestrator.order.OrderOptions;
import com.admintk.orchestrator.order.PlanSnapshot;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentRequest;
import com.admintk.orchestrator.payment.PaymentResult;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static com.admintk.orchestrator.common.Failures.hasType;
import static com.admintk.orchestrator.common.Failures.reasonOf;

public class ServerLifecycleWorkflowImpl implements ServerLifecycleWorkflow {

    private static final Logger log = Workflow.getLogger(ServerLifecycleWorkflowImpl.class);

    /**
     * Version 1 bills: it charges renewals, runs dunning, and suspends and terminates through child workflows. Runs
     * recorded before it (DEFAULT_VERSION) only held the renewal date and recorded signals; they replay through
     * {@link #runBeforeBilling}, and their next continue-as-new starts a billing run.
     */
    static final String BILLING_CHANGE = "lifecycle-billing";

    private enum Kind { PAYMENT, SUSPEND, UNSUSPEND, TERMINATE, CANCEL_AT_PERIOD_END, PAY_NOW, CHANGE_PLAN, REINSTALL }

    /**
     * A signal or an accepted request, applied by the workflow thread in arrival order (child workflows and
     * activities run there). {@code workflowId} is the child a request starts, as its answer named it.
     */
    private record Command(Kind kind, SuspensionReason suspension, String reason, String paymentReference,
                           String requestId, String actor, PlanSnapshot plan, String workflowId) {
        Command(Kind kind, SuspensionReason suspension, String reason, String paymentReference) {
            this(kind, suspension, reason, paymentReference, null, null, null, null);
        }
    }

    /** The {@code action} of {@link ServerActionAccepted}. */
    static final String RENEW = "renew";
    static final String CHANGE_PLAN = "change-plan";
    static final String REINSTALL = "reinstall";

    /** A pay-now payment under way; the lifecycle renews when it completes. */
    private record PayNow(String paymentId, String actor, Promise<PaymentResult> result) {
    }

    /** A plan change under way, with the money it moves, for the history. */
    private record PlanChange(String requestId, PlanSnapshot plan, String actor, long chargeCoins,
                              long chargeAmountMinor, Promise<ServerBuildChanged> result) {
    }

    private record Reinstall(String requestId, String actor, Promise<PanelServerRef> result) {
    }

    private final ServerActivities store = Workflow.newActivityStub(ServerActivities.class, StepOptions.store());
    private final NotificationActivities notifications =
            Workflow.newActivityStub(NotificationActivities.class, StepOptions.notification());
    private final NotificationActivities operators =
            Workflow.newActivityStub(NotificationActivities.class, StepOptions.operatorAlert());

    private ServerLifecycleInput input;
    private LifecyclePolicy policy;
    private boolean beforeBilling;

    private long renewsAt;
    private String reason;
    private String lastPaymentReference;
    private SuspensionReason suspension;
    private boolean cancelAtPeriodEnd;
    private int failedAttempts;
    private long graceEndsAt;
    private boolean terminated;
    /** A termination has begun (its child may run for a while on a dead node): no request is taken any more. */
    private boolean terminating;
    private long actions;
    private boolean paidThisRun;
    private final List<String> appliedPayments = new ArrayList<>();
    private final List<Transition> history = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();

    /** Requests answered, oldest first, bounded: a request id seen again gets its first answer. */
    private final List<LifecycleMemory.AnsweredRequest> answered = new ArrayList<>();
    /** Set from the moment a plan change or a reinstall is accepted until its child has ended. */
    private String planChangeWorkflowId;
    private String reinstallWorkflowId;
    private final List<PayNow> payNows = new ArrayList<>();
    private PlanChange planChange;
    private Reinstall reinstallRun;

    @Override
    public void run(ServerLifecycleInput input) {
        this.input = input;
        this.renewsAt = input.renewsAtMillis();
        this.reason = input.reason();
        beforeBilling = Workflow.getVersion(BILLING_CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION;
        Workflow.upsertTypedSearchAttributes(
                SearchAttributes.SERVER_ID.valueSet(input.serverId()),
                SearchAttributes.ORDER_ID.valueSet(input.orderId()),
                SearchAttributes.CUSTOMER_ID.valueSet(input.customerId()));
        if (beforeBilling) {
            runBeforeBilling();
            return;
        }
        restore();
        while (true) {
            applyCommands();
            settleActions(true);
            if (terminated) {
                return;
            }
            // A run that continued as new would leave its children behind: it waits until they have ended.
            if ((paidThisRun || Workflow.getInfo().isContinueAsNewSuggested()) && noActionRunning()) {
                // One cycle per run keeps every run's history short, whatever the server's age.
                Workflow.continueAsNew(input.next(renewsAt, status(), reason, memory()));
                return;
            }
            long now = Workflow.currentTimeMillis();
            long due = nextDueAt();
            if (now >= due) {
                onDue();
                continue;
            }
            Workflow.await(Duration.ofMillis(due - now), () -> !commands.isEmpty() || actionEnded(true));
        }
    }

    // ---- the billing story -----------------------------------------------------------------------------------------

    /** The renewal date, a dunning retry, or the end of the grace period has come. */
    private void onDue() {
        if (graceEndsAt > 0) {
            terminate("not paid by the end of the grace period");
        } else if (failedAttempts == 0 && cancelAtPeriodEnd) {
            terminate("cancelled at the end of the period");
        } else {
            chargeRenewal();
        }
    }

    /**
     * One renewal attempt through a payment child. It may wait long (a card waits for its webhook), so an operator's
     * termination meanwhile cancels it; the payment gives back whatever it took when cancelled.
     */
    private void chargeRenewal() {
        int attempt = failedAttempts + 1;
        String paymentId = PaymentIds.forRenewal(input.serverId(), renewsAt, policy.billingPeriodSeconds(),
                attempt);
        PaymentRequest request = renewalPayment(paymentId);
        PaymentWorkflow payment = Workflow.newChildWorkflowStub(PaymentWorkflow.class, paymentOptions(paymentId));
        List<Promise<PaymentResult>> started = new ArrayList<>(1);
        CancellationScope charge = Workflow.newCancellationScope(() -> started.add(Async.function(payment::pay, request)));
        charge.run();
        Promise<PaymentResult> result = started.get(0);
        if (request.method() == PaymentMethod.CARD) {
            notifyCustomer(ServerNotification.PAYMENT_DUE, paymentId, paymentId, attempt, 0);
        }
        // A card charge can wait a day for its webhook: operators' actions do not wait for it. Payments do: two
        // payments for one period are two paid cycles, applied one after the other.
        while (!result.isCompleted()) {
            Workflow.await(() -> result.isCompleted() || commands.stream().anyMatch(c -> c.kind() != Kind.PAYMENT)
                    || actionEnded(false));
            if (terminationRequested()) {
                charge.cancel("server terminated");
                return;
            }
            applyCommands(true);
            settleActions(false);
        }
        try {
            result.get();
            renewed(paymentId, "renewal paid (attempt " + attempt + ")");
        } catch (ChildWorkflowFailure failure) {
            chargeFailed(attempt, paymentId, reasonOf(failure));
        }
    }

    private void renewed(String paymentReference, String why) {
        ServerLifecycleState.Status before = status();
        remember(paymentReference);
        lastPaymentReference = paymentReference;
        renewsAt = policy.nextRenewal(input.billingCycle(), renewsAt);
        failedAttempts = 0;
        graceEndsAt = 0;
        cancelAtPeriodEnd = false;
        paidThisRun = true;
        record(before, why);
        markStore();
        notifyCustomer(ServerNotification.RENEWED, paymentReference, paymentReference, 0, 0);
        if (suspension == SuspensionReason.NON_PAYMENT) {
            unsuspend("renewal paid");
        }
    }

    private void chargeFailed(int attempt, String paymentId, String why) {
        ServerLifecycleState.Status before = status();
        failedAttempts = attempt;
        int attempts = policy.dunningOffsetsSeconds().size();
        boolean last = attempt >= attempts;
        if (last) {
            graceEndsAt = Workflow.currentTimeMillis() + Duration.ofSeconds(policy.gracePeriodSeconds()).toMillis();
        }
        record(before, "renewal payment failed (attempt " + attempt + " of " + attempts + "): " + why);
        markStore();
        notifyCustomer(ServerNotification.PAYMENT_FAILED, paymentId + ":failed", paymentId, attempt, attempts);
        if (last && suspension == null) {
            suspend(SuspensionReason.NON_PAYMENT, "renewal not paid after " + attempts + " attempts");
        }
    }

    // ---- signals, applied in order -------------------------------------------------------------------------------

    private void applyCommands() {
        applyCommands(false);
    }

    /** {@code deferPayments}: a renewal charge is in flight, so payments stay queued until it has ended. */
    private void applyCommands(boolean deferPayments) {
        List<Command> deferred = new ArrayList<>();
        while (!commands.isEmpty()) {
            Command command = commands.remove(0);
            if (terminated) {
                continue;
            }
            if (deferPayments && command.kind() == Kind.PAYMENT) {
                deferred.add(command);
                continue;
            }
            switch (command.kind()) {
                case PAYMENT -> {
                    if (!appliedPayments.contains(command.paymentReference())) {
                        renewed(command.paymentReference(), "payment received: " + command.paymentReference());
                    }
                }
                case SUSPEND -> suspend(command.suspension(), command.reason());
                case UNSUSPEND -> unsuspend(command.reason());
                case TERMINATE -> terminate(command.reason());
                case CANCEL_AT_PERIOD_END -> scheduleCancellation(command.reason());
                case PAY_NOW -> startPayNow(command);
                case CHANGE_PLAN -> startPlanChange(command);
                case REINSTALL -> startReinstall(command);
            }
        }
        commands.addAll(0, deferred);
    }

    /**
     * Suspends on the panel once; a later suspension for another reason only changes the reason (an abuse
     * suspension must not be lifted by the payment that would have lifted a non-payment one).
     */
    private void suspend(SuspensionReason kind, String why) {
        if (terminated || suspension == kind) {
            return;
        }
        ServerLifecycleState.Status before = status();
        if (suspension == null) {
            ServerAction action = action(kind, why, "suspend");
            try {
                Workflow.newChildWorkflowStub(SuspendServerWorkflow.class, childOptions(action.actionKey()))
                        .suspend(action);
            } catch (ChildWorkflowFailure failed) {
                // Our books say suspended either way: reconciliation re-applies the store's state to the panel.
                alertOperators("suspend", why, failed);
            }
            suspension = kind;
        } else {
            suspension = kind;
            markStore();
        }
        record(before, why);
    }

    private void unsuspend(String why) {
        if (terminated || suspension == null) {
            return;
        }
        ServerLifecycleState.Status before = status();
        ServerAction action = action(null, why, "unsuspend");
        try {
            Workflow.newChildWorkflowStub(UnsuspendServerWorkflow.class, childOptions(action.actionKey()))
                    .unsuspend(action);
        } catch (ChildWorkflowFailure failed) {
            alertOperators("unsuspend", why, failed);
        }
        suspension = null;
        record(before, why);
    }

    private void terminate(String why) {
        if (terminated) {
            return;
        }
        terminating = true;
        ServerLifecycleState.Status before = status();
        ServerAction action = action(suspension, why, "terminate");
        String outcome = why;
        try {
            ServerTermination done = Workflow.newChildWorkflowStub(TerminateServerWorkflow.class,
                            ChildWorkflowOptions.newBuilder(childOptions(action.actionKey()))
                                    .setWorkflowId(TerminateServerWorkflow.workflowId(input.serverId()))
                                    // A deletion under way finishes even if this entity is closed meanwhile.
                                    .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                                    .build())
                    .terminate(action);
            if (done.forced()) {
                outcome = why + " (force-deleted: node unreachable for " + done.unreachableForSeconds() + "s)";
            }
        } catch (ChildWorkflowFailure failed) {
            alertOperators("terminate", why, failed);
            outcome = why + " (panel delete failed, operators alerted)";
            terminated = true;
            markStore();
        }
        terminated = true;
        record(before, outcome);
    }

    private void scheduleCancellation(String why) {
        if (cancelAtPeriodEnd) {
            return;
        }
        cancelAtPeriodEnd = true;
        record(status(), "cancellation at the end of the period: " + (why == null ? "requested" : why));
        notifyCustomer(ServerNotification.CANCELLATION_SCHEDULED, "cancel:" + renewsAt, null, 0, 0);
    }

    // ---- signal handlers: record only, the workflow thread acts ---------------------------------------------------

    @Override
    public void paymentReceived(String paymentReference) {
        if (beforeBilling) {
            paymentReceivedBeforeBilling(paymentReference);
            return;
        }
        if (paymentReference == null || paymentReference.isBlank() || appliedPayments.contains(paymentReference)
                || commands.stream().anyMatch(c -> paymentReference.equals(c.paymentReference()))) {
            return;
        }
        commands.add(new Command(Kind.PAYMENT, null, null, paymentReference));
    }

    @Override
    public void adminSuspend(String reason) {
        if (beforeBilling) {
            adminSuspendBeforeBilling(reason);
            return;
        }
        commands.add(new Command(Kind.SUSPEND, SuspensionReason.ADMIN, orDefault(reason, "suspended by an operator"),
                null));
    }

    @Override
    public void suspendForAbuse(String reason) {
        commands.add(new Command(Kind.SUSPEND, SuspensionReason.ABUSE, orDefault(reason, "suspended for abuse"),
                null));
    }

    @Override
    public void adminUnsuspend(String reason) {
        if (beforeBilling) {
            adminUnsuspendBeforeBilling(reason);
            return;
        }
        commands.add(new Command(Kind.UNSUSPEND, null, orDefault(reason, "unsuspended by an operator"), null));
    }

    @Override
    public void adminTerminate(String reason) {
        if (beforeBilling) {
            adminTerminateBeforeBilling(reason);
            return;
        }
        commands.add(new Command(Kind.TERMINATE, null, orDefault(reason, "terminated by an operator"), null));
    }

    @Override
    public void cancelAtPeriodEnd(String reason) {
        commands.add(new Command(Kind.CANCEL_AT_PERIOD_END, null, reason, null));
    }

    // ---- requests (Updates): validators refuse, handlers record a command and answer at once ----------------------

    @Override
    public void validateRenewNow(ServerActionRequest request) {
        if (answerTo(requireRequestId(request == null ? null : request.requestId())) != null) {
            return;
        }
        requireReady();
        refuseWhenTerminated();
    }

    @Override
    public ServerActionAccepted renewNow(ServerActionRequest request) {
        ServerActionAccepted first = answerTo(request.requestId());
        if (first != null) {
            return first;
        }
        String paymentId = PaymentIds.forPayNow(input.serverId(), request.requestId());
        String workflowId = PaymentIds.workflowId(paymentId);
        commands.add(new Command(Kind.PAY_NOW, null, request.reason(), paymentId, request.requestId(),
                request.actor(), null, workflowId));
        return answer(request.requestId(), new ServerActionAccepted(RENEW, workflowId, false));
    }

    @Override
    public void validateChangePlan(PlanChangeRequest request) {
        if (answerTo(requireRequestId(request == null ? null : request.requestId())) != null) {
            return;
        }
        requireReady();
        PlanSnapshot plan = request.plan();
        if (plan == null || plan.planId() == null || plan.planId().isBlank() || plan.limits() == null) {
            throw refusal(ServerActionRefusals.INVALID_REQUEST, "a plan with its limits is required");
        }
        if (plan.billingCycle() != null && plan.billingCycle() != input.billingCycle()) {
            throw refusal(ServerActionRefusals.INVALID_REQUEST, "plan " + plan.planId() + " bills "
                    + plan.billingCycle() + ", this server " + input.billingCycle());
        }
        refuseWhenTerminated();
        refuseWhenSuspended();
        refuseWhenBusy(reinstallWorkflowId);
        refuseWhenBusy(planChangeWorkflowId);
        if (plan.planId().equals(input.planId())) {
            throw refusal(ServerActionRefusals.PLAN_UNCHANGED, "the server already runs plan " + plan.planId());
        }
    }

    @Override
    public ServerActionAccepted changePlan(PlanChangeRequest request) {
        ServerActionAccepted first = answerTo(request.requestId());
        if (first != null) {
            return first;
        }
        planChangeWorkflowId = ChangeServerBuildWorkflow.workflowId(input.serverId(), request.requestId());
        commands.add(new Command(Kind.CHANGE_PLAN, null, null, null, request.requestId(), request.actor(),
                request.plan(), planChangeWorkflowId));
        return answer(request.requestId(), new ServerActionAccepted(CHANGE_PLAN, planChangeWorkflowId, false));
    }

    @Override
    public void validateReinstall(ServerActionRequest request) {
        if (answerTo(requireRequestId(request == null ? null : request.requestId())) != null) {
            return;
        }
        requireReady();
        refuseWhenTerminated();
        refuseWhenSuspended();
        refuseWhenBusy(planChangeWorkflowId);
    }

    @Override
    public ServerActionAccepted reinstall(ServerActionRequest request) {
        ServerActionAccepted first = answerTo(request.requestId());
        if (first != null) {
            return first;
        }
        if (reinstallWorkflowId != null) {
            // One reinstall at a time: a second request joins the running one.
            return answer(request.requestId(), new ServerActionAccepted(REINSTALL, reinstallWorkflowId, true));
        }
        reinstallWorkflowId = ReinstallServerWorkflow.workflowId(input.serverId(), request.requestId());
        commands.add(new Command(Kind.REINSTALL, null, request.reason(), null, request.requestId(), request.actor(),
                null, reinstallWorkflowId));
        return answer(request.requestId(), new ServerActionAccepted(REINSTALL, reinstallWorkflowId, false));
    }

    private ServerActionAccepted answerTo(String requestId) {
        for (LifecycleMemory.AnsweredRequest seen : answered) {
            if (seen.requestId().equals(requestId)) {
                return seen.answer();
            }
        }
        return null;
    }

    private ServerActionAccepted answer(String requestId, ServerActionAccepted accepted) {
        answered.add(new LifecycleMemory.AnsweredRequest(requestId, accepted));
        while (answered.size() > LifecyclePolicy.ANSWERED_REQUESTS_KEPT) {
            answered.remove(0);
        }
        return accepted;
    }

    private static String requireRequestId(String requestId) {
        if (requestId == null || requestId.isBlank()) {
            throw refusal(ServerActionRefusals.INVALID_REQUEST, "a request id is required");
        }
        return requestId;
    }

    /** Runs recorded before billing take no requests; they become billing runs at their next payment. */
    private void requireReady() {
        if (input == null || beforeBilling) {
            throw refusal(ServerActionRefusals.SERVER_BUSY, "the server's lifecycle cannot take requests yet");
        }
    }

    private void refuseWhenTerminated() {
        if (terminated || terminating || terminationRequested()) {
            throw refusal(ServerActionRefusals.SERVER_TERMINATED, "the server is terminated");
        }
    }

    private void refuseWhenSuspended() {
        if (suspension != null || commands.stream().anyMatch(c -> c.kind() == Kind.SUSPEND)) {
            throw refusal(ServerActionRefusals.SERVER_SUSPENDED, "the server is suspended");
        }
    }

    private static void refuseWhenBusy(String runningWorkflowId) {
        if (runningWorkflowId != null) {
            throw refusal(ServerActionRefusals.SERVER_BUSY, "another change is under way: " + runningWorkflowId);
        }
    }

    private static ServerActionRefused refusal(String type, String message) {
        return new ServerActionRefused(type, message);
    }

    // ---- requests, carried out by the workflow thread: children start at once, the lifecycle reacts when they end --

    private void startPayNow(Command command) {
        String paymentId = command.paymentReference();
        PaymentWorkflow payment = Workflow.newChildWorkflowStub(PaymentWorkflow.class, oneChargeOptions(paymentId));
        payNows.add(new PayNow(paymentId, command.actor(),
                Async.function(payment::pay, renewalPayment(paymentId))));
    }

    /**
     * The prorated difference over what is left of the paid period, from workflow time: an upgrade is charged
     * (rounded down), a downgrade credited in TK-Coins (rounded up), both in the customer's favour.
     */
    private void startPlanChange(Command command) {
        PlanSnapshot plan = command.plan();
        long period = Math.max(1, renewsAt - policy.previousRenewal(input.billingCycle(), renewsAt));
        long remaining = Math.max(0, Math.min(period, renewsAt - Workflow.currentTimeMillis()));
        boolean card = input.paymentMethod() == PaymentMethod.CARD;
        long difference = card ? plan.priceAmountMinor() - input.priceAmountMinor()
                : plan.priceCoins() - input.priceCoins();
        long charge = difference > 0 ? prorate(difference, remaining, period, false) : 0;
        long creditCoins = difference < 0 && plan.priceCoins() < input.priceCoins()
                ? prorate(input.priceCoins() - plan.priceCoins(), remaining, period, true) : 0;
        PaymentRequest payment = null;
        if (charge > 0) {
            String paymentId = PaymentIds.forPlanChange(input.serverId(), command.requestId());
            payment = new PaymentRequest(paymentId, input.orderId(), input.customerId(), input.customerEmail(),
                    input.paymentMethod(), card ? 0 : charge, card ? charge : 0, card ? input.currency() : null,
                    "Plan change of server " + orDefault(input.serverName(), input.serverId()) + " to "
                            + plan.planId() + " (prorated)", policy.renewalCardDeadlineSeconds());
        }
        ServerBuildChange change = new ServerBuildChange(input.serverId(), input.customerId(), input.panelServerId(),
                command.workflowId(), plan, payment, creditCoins, input.region());
        ChangeServerBuildWorkflow child = Workflow.newChildWorkflowStub(ChangeServerBuildWorkflow.class,
                childOptions(command.workflowId()));
        planChange = new PlanChange(command.requestId(), plan, command.actor(), card ? 0 : charge,
                card ? charge : 0, Async.function(child::change, change));
        record(status(), "plan change to " + plan.planId() + " requested" + by(command.actor()));
    }

    private void startReinstall(Command command) {
        OrderOptions timing = policy.installTiming();
        ReinstallServerWorkflow child = Workflow.newChildWorkflowStub(ReinstallServerWorkflow.class,
                childOptions(command.workflowId()));
        reinstallRun = new Reinstall(command.requestId(), command.actor(), Async.function(child::reinstall,
                new ServerReinstall(input.serverId(), input.panelServerId(), timing.installDeadlineSeconds(),
                        timing.installPollInitialSeconds(), timing.installPollMaxSeconds(), input.region())));
        record(status(), "reinstall requested" + by(command.actor()));
    }

    /** {@code includePayNow}: false while a renewal charge is in flight, so two payments apply one after the other. */
    private boolean actionEnded(boolean includePayNow) {
        return (includePayNow && payNows.stream().anyMatch(p -> p.result().isCompleted()))
                || (planChange != null && planChange.result().isCompleted())
                || (reinstallRun != null && reinstallRun.result().isCompleted());
    }

    private boolean noActionRunning() {
        return payNows.isEmpty() && planChange == null && reinstallRun == null;
    }

    private void settleActions(boolean includePayNow) {
        if (includePayNow) {
            for (PayNow payNow : List.copyOf(payNows)) {
                if (payNow.result().isCompleted()) {
                    payNows.remove(payNow);
                    settlePayNow(payNow);
                }
            }
        }
        if (planChange != null && planChange.result().isCompleted()) {
            PlanChange done = planChange;
            planChange = null;
            planChangeWorkflowId = null;
            settlePlanChange(done);
        }
        if (reinstallRun != null && reinstallRun.result().isCompleted()) {
            Reinstall done = reinstallRun;
            reinstallRun = null;
            reinstallWorkflowId = null;
            settleReinstall(done);
        }
    }

    private void settlePayNow(PayNow payNow) {
        try {
            payNow.result().get();
        } catch (TemporalFailure notPaid) {
            record(status(), "payment " + payNow.paymentId() + " not paid: " + reasonOf(notPaid));
            notifyCustomer(ServerNotification.PAY_NOW_FAILED, payNow.paymentId(), payNow.paymentId(), 0, 0);
            return;
        }
        if (terminated || appliedPayments.contains(payNow.paymentId())) {
            return;
        }
        renewed(payNow.paymentId(), "paid now" + by(payNow.actor()));
    }

    private void settlePlanChange(PlanChange done) {
        String from = input.planId();
        String to = done.plan().planId();
        ServerBuildChanged changed;
        try {
            changed = done.result().get();
        } catch (TemporalFailure failed) {
            if (hasType(failed, ChangeServerBuildWorkflow.NOT_PAID)) {
                record(status(), "plan change to " + to + " not paid, the old build was restored: "
                        + reasonOf(failed));
            } else {
                alertOperators(CHANGE_PLAN, "plan change to " + to, failed,
                        ChangeServerBuildWorkflow.workflowId(input.serverId(), done.requestId()));
                record(status(), "plan change to " + to + " failed, operators alerted: " + reasonOf(failed));
            }
            notifyCustomer(ServerNotification.PLAN_CHANGE_FAILED, done.requestId(), null, 0, 0);
            return;
        }
        if (terminated) {
            return;
        }
        input = input.withPlan(done.plan());
        try {
            store.changeServerPlan(input.serverId(), new ServerPlanChange(to, input.priceCoins(),
                    input.priceAmountMinor(), input.currency(), Workflow.currentTimeMillis()));
        } catch (ActivityFailure storeDown) {
            // The lifecycle bills the new price either way; reconciliation reports the record's stale plan.
            log.error("server {}: plan not recorded: {}", input.serverId(), reasonOf(storeDown));
        }
        String money = changed.paymentId() != null ? ", charged " + (done.chargeCoins() > 0
                ? done.chargeCoins() + " TK-Coins" : done.chargeAmountMinor() + " " + input.currency())
                : changed.creditedCoins() > 0 ? ", credited " + changed.creditedCoins() + " TK-Coins" : "";
        record(status(), "plan changed from " + from + " to " + to + by(done.actor()) + money);
        notifyCustomer(ServerNotification.PLAN_CHANGED, done.requestId(), changed.paymentId(), 0, 0);
    }

    private void settleReinstall(Reinstall done) {
        try {
            done.result().get();
        } catch (TemporalFailure failed) {
            alertOperators(REINSTALL, "reinstall", failed,
                    ReinstallServerWorkflow.workflowId(input.serverId(), done.requestId()));
            record(status(), "reinstall failed, operators alerted: " + reasonOf(failed));
            notifyCustomer(ServerNotification.REINSTALL_FAILED, done.requestId(), null, 0, 0);
            return;
        }
        record(status(), "reinstalled" + by(done.actor()));
        notifyCustomer(ServerNotification.REINSTALLED, done.requestId(), null, 0, 0);
    }

    /** {@code numerator × part / whole}, rounded down or up, without overflow. */
    static long prorate(long amount, long part, long whole, boolean roundUp) {
        BigInteger[] qr = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(part))
                .divideAndRemainder(BigInteger.valueOf(whole));
        return qr[0].longValueExact() + (roundUp && qr[1].signum() > 0 ? 1 : 0);
    }

    private static String by(String actor) {
        return actor == null || actor.isBlank() ? "" : " by " + actor;
    }

    @Override
    public ServerLifecycleState state() {
        if (input == null) {
            return new ServerLifecycleState(null, ServerLifecycleState.Status.ACTIVE, 0, null, null, 0, null, false, 0,
                    0, 0, List.of());
        }
        if (beforeBilling) {
            return new ServerLifecycleState(input.serverId(), legacyStatus, renewsAt, reason, lastPaymentReference,
                    input.cycle(), null, false, 0, 0, 0, List.of());
        }
        return new ServerLifecycleState(input.serverId(), status(), renewsAt, reason, lastPaymentReference,
                input.cycle(), suspension, cancelAtPeriodEnd, failedAttempts, nextAttemptAt(), graceEndsAt,
                List.copyOf(history));
    }

    // ---- state ---------------------------------------------------------------------------------------------------

    private ServerLifecycleState.Status status() {
        if (terminated) {
            return ServerLifecycleState.Status.TERMINATED;
        }
        if (suspension != null) {
            return ServerLifecycleState.Status.SUSPENDED;
        }
        return failedAttempts > 0 ? ServerLifecycleState.Status.PAST_DUE : ServerLifecycleState.Status.ACTIVE;
    }

    private boolean terminationRequested() {
        return commands.stream().anyMatch(c -> c.kind() == Kind.TERMINATE);
    }

    /** The renewal date, then each dunning retry after it, then the end of the grace period. */
    private long nextDueAt() {
        if (graceEndsAt > 0) {
            return graceEndsAt;
        }
        List<Long> offsets = policy.dunningOffsetsSeconds();
        return renewsAt + Duration.ofSeconds(offsets.get(Math.min(failedAttempts, offsets.size() - 1))).toMillis();
    }

    private long nextAttemptAt() {
        return terminated || graceEndsAt > 0 || failedAttempts == 0 ? 0 : nextDueAt();
    }

    private void restore() {
        policy = (input.policy() == null ? LifecyclePolicy.defaults() : input.policy()).withDefaults();
        LifecycleMemory memory = input.memory();
        if (memory == null) {
            // A run continued from before billing may carry a suspension; the operator set it.
            suspension = input.status() == ServerLifecycleState.Status.SUSPENDED ? SuspensionReason.ADMIN : null;
            record(null, orDefault(input.reason(), "server delivered"));
            return;
        }
        suspension = memory.suspension();
        cancelAtPeriodEnd = memory.cancelAtPeriodEnd();
        failedAttempts = memory.failedChargeAttempts();
        graceEndsAt = memory.graceEndsAtMillis();
        lastPaymentReference = memory.lastPaymentReference();
        actions = memory.actions();
        if (memory.appliedPayments() != null) {
            appliedPayments.addAll(memory.appliedPayments());
        }
        if (memory.history() != null) {
            history.addAll(memory.history());
        }
        if (memory.answeredRequests() != null) {
            answered.addAll(memory.answeredRequests());
        }
    }

    private LifecycleMemory memory() {
        return new LifecycleMemory(suspension, cancelAtPeriodEnd, failedAttempts, graceEndsAt,
                List.copyOf(appliedPayments), lastPaymentReference, List.copyOf(history), actions,
                List.copyOf(answered));
    }

    private void remember(String paymentReference) {
        appliedPayments.add(paymentReference);
        while (appliedPayments.size() > LifecyclePolicy.APPLIED_PAYMENTS_KEPT) {
            appliedPayments.remove(0);
        }
    }

    private void record(ServerLifecycleState.Status before, String why) {
        reason = why;
        history.add(new Transition(Workflow.currentTimeMillis(), before, status(), suspension, why));
        while (history.size() > policy.historyLimit()) {
            history.remove(0);
        }
    }

    // ---- steps ---------------------------------------------------------------------------------------------------

    private PaymentRequest renewalPayment(String paymentId) {
        boolean card = input.paymentMethod() == PaymentMethod.CARD;
        return new PaymentRequest(paymentId, input.orderId(), input.customerId(), input.customerEmail(),
                input.paymentMethod(), card ? 0 : input.priceCoins(), card ? input.priceAmountMinor() : 0,
                card ? input.currency() : null,
                "Renewal of server " + orDefault(input.serverName(), input.serverId()) + " (" + input.planId() + ")",
                policy.renewalCardDeadlineSeconds());
    }

    private ServerAction action(SuspensionReason kind, String why, String verb) {
        actions++;
        return new ServerAction(input.serverId(), input.customerId(), input.customerEmail(), input.serverName(),
                input.panelServerId(), input.externalId(), kind, why,
                ServerLifecycleWorkflow.workflowId(input.serverId()) + ":" + verb + ":" + actions,
                policy.forceDeleteAfterSeconds(), policy.nodeRecheckSeconds(), input.region());
    }

    private void markStore() {
        try {
            store.markServerStatus(input.serverId(), new ServerStatusUpdate(status().name(), suspension, reason,
                    renewsAt, Workflow.currentTimeMillis()));
        } catch (ActivityFailure storeDown) {
            // The lifecycle's query stays the truth; the next write repeats the whole state.
            log.error("server {}: store not updated: {}", input.serverId(), reasonOf(storeDown));
        }
    }

    private void notifyCustomer(String event, String keySuffix, String paymentId, int attempt, int attempts) {
        ServerNotification notification = new ServerNotification(input.serverId(), input.customerId(),
                input.customerEmail(), input.serverName(), event, reason, renewsAt, paymentId, attempt, attempts,
                nextAttemptAt(), graceEndsAt);
        try {
            notifications.emailServerEvent(ServerLifecycleWorkflow.workflowId(input.serverId()) + ":" + event + ":"
                    + keySuffix, notification);
        } catch (ActivityFailure undelivered) {
            log.warn("server {}: {} notification not delivered: {}", input.serverId(), event, reasonOf(undelivered));
        }
    }

    private void alertOperators(String verb, String why, ChildWorkflowFailure failed) {
        alertOperators(verb, why, failed, ServerLifecycleWorkflow.workflowId(input.serverId()) + ":" + verb + ":"
                + actions);
    }

    private void alertOperators(String verb, String why, TemporalFailure failed, String alertKey) {
        String problem = reasonOf(failed);
        log.error("server {}: {} gave up: {}", input.serverId(), verb, problem);
        OperatorAlert alert = new OperatorAlert(OperatorAlert.SERVER_ACTION_FAILED, input.orderId(),
                Workflow.getInfo().getWorkflowId(), input.customerId(),
                "server " + input.serverId() + ": " + verb + " (" + why + ") did not reach the panel server "
                        + input.externalId(), List.of(problem), input.externalId(), null, !"terminate".equals(verb),
                true);
        try {
            operators.alertOperators(alertKey, alert);
        } catch (ActivityFailure undelivered) {
            log.error("server {}: operator alert not delivered: {}", input.serverId(), reasonOf(undelivered));
        }
    }

    private ChildWorkflowOptions childOptions(String workflowId) {
        return ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .build();
    }

    private ChildWorkflowOptions paymentOptions(String paymentId) {
        return ChildWorkflowOptions.newBuilder()
                .setWorkflowId(PaymentIds.workflowId(paymentId))
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                // Closing or cancelling asks the payment to cancel, and a cancelled payment gives back what it took.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .setCancellationType(ChildWorkflowCancellationType.TRY_CANCEL)
                .build();
    }

    /** A payment id names one charge: a child with that id never runs a second time. */
    private ChildWorkflowOptions oneChargeOptions(String paymentId) {
        return ChildWorkflowOptions.newBuilder(paymentOptions(paymentId))
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    // ---- before billing (DEFAULT_VERSION of BILLING_CHANGE): kept so recorded runs replay unchanged ---------------

    private ServerLifecycleState.Status legacyStatus = ServerLifecycleState.Status.ACTIVE;
    private final List<String> legacyPayments = new ArrayList<>();
    private int legacySignals;

    private void runBeforeBilling() {
        legacyStatus = input.status() == null ? ServerLifecycleState.Status.ACTIVE : input.status();
        while (true) {
            int seen = legacySignals;
            if (legacyStatus == ServerLifecycleState.Status.ACTIVE) {
                long untilRenewal = Math.max(0, renewsAt - Workflow.currentTimeMillis());
                Workflow.await(Duration.ofMillis(untilRenewal), () -> legacySignals != seen || legacyTerminated()
                        || !legacyPayments.isEmpty());
            } else {
                Workflow.await(() -> legacySignals != seen || legacyTerminated() || !legacyPayments.isEmpty());
            }
            if (legacyTerminated()) {
                return;
            }
            if (!legacyPayments.isEmpty()) {
                ServerLifecycleState.Status carried = legacyStatus == ServerLifecycleState.Status.SUSPENDED
                        ? ServerLifecycleState.Status.SUSPENDED : ServerLifecycleState.Status.ACTIVE;
                Workflow.continueAsNew(input.next(input.billingCycle().nextRenewal(renewsAt), carried, reason));
                return;
            }
            if (legacyStatus == ServerLifecycleState.Status.ACTIVE && Workflow.currentTimeMillis() >= renewsAt) {
                legacyStatus = ServerLifecycleState.Status.PAST_DUE;
            }
        }
    }

    private boolean legacyTerminated() {
        return legacyStatus == ServerLifecycleState.Status.TERMINATED;
    }

    private void paymentReceivedBeforeBilling(String paymentReference) {
        if (paymentReference == null || paymentReference.equals(lastPaymentReference)
                || legacyPayments.contains(paymentReference)) {
            return;
        }
        lastPaymentReference = paymentReference;
        legacyPayments.add(paymentReference);
        legacySignals++;
    }

    private void adminSuspendBeforeBilling(String why) {
        if (!legacyTerminated()) {
            legacyStatus = ServerLifecycleState.Status.SUSPENDED;
            reason = why;
            legacySignals++;
        }
    }

    private void adminUnsuspendBeforeBilling(String why) {
        if (legacyStatus == ServerLifecycleState.Status.SUSPENDED) {
            legacyStatus = Workflow.currentTimeMillis() >= renewsAt
                    ? ServerLifecycleState.Status.PAST_DUE : ServerLifecycleState.Status.ACTIVE;
            reason = why;
            legacySignals++;
        }
    }

    private void adminTerminateBeforeBilling(String why) {
        legacyStatus = ServerLifecycleState.Status.TERMINATED;
        reason = why;
        legacySignals++;
    }
}
