package com.admintk.orchestrator.order;

import com.admintk.orchestrator.capacity.CapacityActivities;
import com.admintk.orchestrator.capacity.CapacityDemand;
import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.StepOptions;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.notification.OperatorAlert;
import com.admintk.orchestrator.notification.OrderNotification;
import com.admintk.orchestrator.payment.PaymentActivities;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentRequest;
import com.admintk.orchestrator.payment.PaymentResult;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.payment.RefundReceipt;
import com.admintk.orchestrator.payment.RefundRequest;
import com.admintk.orchestrator.pterodactyl.EggSpec;
import com.admintk.orchestrator.pterodactyl.PanelFailures;
import com.admintk.orchestrator.pterodactyl.PanelServerRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRef;
import com.admintk.orchestrator.pterodactyl.PanelUserRequest;
import com.admintk.orchestrator.pterodactyl.PterodactylActivities;
import com.admintk.orchestrator.pterodactyl.ResolvedEgg;
import com.admintk.orchestrator.pterodactyl.ServerSpec;
import com.admintk.orchestrator.server.ProvisionProgress;
import com.admintk.orchestrator.server.ProvisionProgressBatch;
import com.admintk.orchestrator.server.ProvisionRequest;
import com.admintk.orchestrator.server.ProvisionServerWorkflow;
import com.admintk.orchestrator.server.ProvisionedServer;
import com.admintk.orchestrator.server.PanelServerRemoval;
import com.admintk.orchestrator.server.LifecyclePolicy;
import com.admintk.orchestrator.server.ServerLifecycleInput;
import com.admintk.orchestrator.server.ServerLifecycleState;
import com.admintk.orchestrator.server.ServerLifecycleWorkflow;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static com.admintk.orchestrator.common.Failures.reasonOf;
import static com.admintk.orchestrator.common.Failures.hasAnyType;
import static com.admintk.orchestrator.common.Failures.hasType;
import static com.admintk.orchestrator.common.Failures.causedBy;

public class OrderProvisioningWorkflowImpl implements OrderProvisioningWorkflow {

    private static final Logger log = Workflow.getLogger(OrderProvisioningWorkflowImpl.class);

    /**
     * Change id for the shape of this saga. Version 1: every step is a scheduled activity. Version 2: the store writes
     * and the capacity calls are local activities ({@link #useStubs}). The next change to the commands raises the
     * maximum to 3 at this call site. New runs then record 3 and take the new branch; a run replaying a history that
     * recorded 2 gets 2 back and must take the old branch, kept until no such run is open. (Leaving the maximum
     * where it is would keep every new run on the old code.) A change that only touches one place may use its own
     * change id instead, as below.
     */
    static final String SAGA_CHANGE = "order-saga";
    /** Change id for the OrderStatus search attribute upserts: runs recorded before it emit none. */
    static final String STATUS_ATTRIBUTE_CHANGE = "order-status-attribute";

    /** Version 1: a compensation that gives up ends COMPENSATION_FAILED and alerts the operators (an activity). */
    static final String COMPENSATION_FAILED_ALERT = "compensation-failed-alert";
    /**
     * Version 1 reads and checks the egg variables before the charge, so a typo never costs a card fee. Runs that
     * started before it (DEFAULT_VERSION) keep their step order and commands.
     */
    static final String EGG_BEFORE_CHARGE = "egg-before-charge";
    /**
     * Version 1 makes the server in a {@link ProvisionServerWorkflow} child (ensure user, create, await installed),
     * which undoes its own create. Runs that started before it (DEFAULT_VERSION) keep these steps inline.
     */
    static final String PROVISION_CHILD = "provision-child";
    /**
     * Version 1 keeps the capacity reservation the checkout took (held before the charge and again before the
     * create, which places the server on the reserved allocation) and gives it back at the end. Only orders that
     * carry a reservation ask for this marker, so runs recorded before it replay as they were.
     */
    static final String CAPACITY_RESERVATION = "capacity-reservation";
    /**
     * Version 1: an order for a plan of several ports that reached the saga without a reservation (the checkout could
     * not read the panel or Redis) takes one before the charge, since its allocations must be picked on one node
     * before the create. Asked only by such orders.
     */
    static final String MULTI_PORT = "multi-port";
    /**
     * Version 1: an order that asked to wait for capacity, refused by the panel for want of room after the charge,
     * gives its room back, waits (WAITING_FOR_CAPACITY, a durable timer to its deadline, woken by {@link
     * #capacityAdded}) and places its server again. Asked for only by such an order at its first refusal, so runs
     * recorded before it replay as they were (they refunded at once).
     */
    static final String WAIT_FOR_CAPACITY = "wait-for-capacity";

    private final PterodactylActivities panel =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCall());
    private final PterodactylActivities panelCreate =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCreate());
    private final PterodactylActivities installProbe =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelProbe());
    private final PterodactylActivities panelUndo =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelCompensation());
    /** The fallback delete after provisioning: an unreachable node comes back to the workflow, which decides by time. */
    private final PterodactylActivities panelRemoval =
            Workflow.newActivityStub(PterodactylActivities.class, StepOptions.panelLifecycleAction());
    private final PaymentActivities refunds =
            Workflow.newActivityStub(PaymentActivities.class, StepOptions.paymentCompensation());
    /** The store and the capacity reservations: set by {@link #useStubs} for the run's version. */
    private OrderActivities store;
    private CapacityActivities capacity;
    private CapacityActivities capacityRelease;
    private final NotificationActivities notifications =
            Workflow.newActivityStub(NotificationActivities.class, StepOptions.notification());
    private final NotificationActivities operators =
            Workflow.newActivityStub(NotificationActivities.class, StepOptions.operatorAlert());

    private final Timeline timeline = new Timeline();
    private OrderRequest request;
    private OrderOptions options;
    private OrderStatus status = OrderStatus.PROCESSING;
    private String reason;
    private OrderStep currentStep;
    private boolean statusAttribute;

    private CancellationScope steps;
    private boolean cancelRequested;
    private String cancelReason;
    private boolean cancellable = true;

    private String paymentId;
    private PaymentRequest paymentRequest;
    private PaymentResult payment;
    /** The payment child ended in a way that does not tell whether it took money (terminated, timed out). */
    private boolean paymentOutcomeUnknown;
    private boolean refunded;
    /** The provision child ended having run its own undo (failed or cancelled): the order has no server to delete. */
    private boolean provisionUndone;
    /** Set while an undo has not finished, so an alert can say what is left: a panel server, a charge. */
    private boolean serverDeleteOwed;
    private boolean refundOwed;
    /** Why undos gave up. The Saga (continueWithError) swallows their failures, so each undo records its own. */
    private final List<String> undoProblems = new ArrayList<>();

    /** The room held for this order's server; null when the order carries none (recorded before reservations). */
    private CapacityReservation reservation;
    private boolean reservationReleased;

    /** "Capacity added" signals received so far; a wait ends when one arrives after the try it follows. */
    private int capacitySignals;
    /** Null until the first refusal for want of room; then whether this run may wait ({@link #WAIT_FOR_CAPACITY}). */
    private Boolean waitsForCapacity;
    /** Workflow time at which the order stops waiting and refunds; 0 before the first refusal. */
    private long waitDeadline;
    /** Tries to place the server (the provision child of each gets its own id). */
    private int placements;
    /** Waits for capacity that ended with a signal: the next try takes room afresh. */
    private int waits;

    private PanelUserRef panelUser;
    private ResolvedEgg egg;
    private PanelServerRef server;
    private String serverId;
    private long renewsAt;

    @Override
    public OrderResult provision(OrderRequest request) {
        this.request = request;
        this.options = (request.options() == null ? OrderOptions.defaults() : request.options()).withDefaults();
        useStubs(Workflow.getVersion(SAGA_CHANGE, Workflow.DEFAULT_VERSION, 2) >= 2);
        Workflow.upsertTypedSearchAttributes(
                SearchAttributes.ORDER_ID.valueSet(request.orderId()),
                SearchAttributes.CUSTOMER_ID.valueSet(request.customer() == null ? "" : request.customer().id()));
        statusAttribute = Workflow.getVersion(STATUS_ATTRIBUTE_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        upsertOrderStatus();

        // Continue past a failed compensation: a server that cannot be deleted must not keep the customer's money.
        Saga saga = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
        steps = Workflow.newCancellationScope(() -> provisionSteps(saga));
        try {
            steps.run();
            finish(OrderStatus.ACTIVE, null);
        } catch (TemporalFailure failure) {
            boolean cancelled = cancelRequested || steps.isCancelRequested()
                    || CancellationScope.current().isCancelRequested();
            String why = cancelled ? "cancelled: " + (cancelReason == null ? "workflow cancelled" : cancelReason)
                    : reasonOf(failure);
            // Detached: a cancelled order must still undo, record and tell.
            Workflow.newDetachedCancellationScope(() -> undoAndClose(saga, cancelled, why)).run();
        }
        return new OrderResult(request.orderId(), status, reason, payment != null && payment.charged(), refunded,
                status == OrderStatus.ACTIVE ? serverId : null,
                status == OrderStatus.ACTIVE && server != null ? server.id() : null, timeline.snapshot());
    }

    /**
     * From version 2 of {@link #SAGA_CHANGE} the store writes and the capacity calls run as local activities: short
     * calls on the worker's own Mongo and Redis connections (a hold may read the panel, at most once per reading's
     * TTL), each saving a workflow task and a task-queue round trip. Runs recorded before it keep scheduling them.
     */
    private void useStubs(boolean local) {
        store = local ? Workflow.newLocalActivityStub(OrderActivities.class, StepOptions.local(StepOptions.store()))
                : Workflow.newActivityStub(OrderActivities.class, StepOptions.store());
        capacity = local
                ? Workflow.newLocalActivityStub(CapacityActivities.class, StepOptions.local(StepOptions.capacityHold()))
                : Workflow.newActivityStub(CapacityActivities.class, StepOptions.capacityHold());
        capacityRelease = local
                ? Workflow.newLocalActivityStub(CapacityActivities.class,
                        StepOptions.local(StepOptions.capacityRelease()))
                : Workflow.newActivityStub(CapacityActivities.class, StepOptions.capacityRelease());
    }

    /** The business process. Each compensation is registered before the call it undoes. */
    private void provisionSteps(Saga saga) {
        validate();
        boolean eggBeforeCharge = Workflow.getVersion(EGG_BEFORE_CHARGE, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (eggBeforeCharge) {
            resolveEggVariables();
        }
        CapacityReservation carried = request.reservation();
        if (eggBeforeCharge && carried == null && PlanPorts.multiple(request.plan().ports())
                && Workflow.getVersion(MULTI_PORT, Workflow.DEFAULT_VERSION, 1) >= 1) {
            carried = CapacityReservation.toTake("res_" + request.orderId() + "_" + request.attempt(), request.region());
        }
        boolean holdsCapacity = eggBeforeCharge && carried != null
                && Workflow.getVersion(CAPACITY_RESERVATION, Workflow.DEFAULT_VERSION, 1) >= 1;
        if (holdsCapacity) {
            reservation = carried;
            saga.addCompensation(() -> releaseReservation(false));
            holdReservation();
        }
        saga.addCompensation(this::refundCharge);
        charge();
        if (eggBeforeCharge && Workflow.getVersion(PROVISION_CHILD, Workflow.DEFAULT_VERSION, 1) >= 1) {
            // The child undoes its own create; this delete is for a later step's failure, or a child that was
            // terminated before it could undo.
            saga.addCompensation(this::deleteServerUnlessProvisionUndid);
            placeServer(holdsCapacity);
        } else {
            ensurePanelUser();
            if (!eggBeforeCharge) {
                resolveEggVariablesAfterCharge();
            }
            saga.addCompensation(this::deleteServer);
            createServer();
            awaitInstalled();
        }
        saga.addCompensation(this::forgetServer);
        recordServer();
        notifyCustomer(OrderStatus.ACTIVE, null);
        startLifecycle();
    }

    /**
     * Hold the room, then provision. A refusal for want of room (the hold finds it sold, or the panel refuses the
     * create) is final unless the customer agreed to wait: then the order waits for capacity and tries again, until
     * its deadline.
     */
    private void placeServer(boolean holdsCapacity) {
        while (true) {
            int signalsBefore = capacitySignals;
            try {
                if (holdsCapacity) {
                    if (waits == 0) {
                        // A card payment may have taken long enough for the reservation to lapse: hold it (or take
                        // the room again) right before the create.
                        holdReservation();
                    } else {
                        retakeReservation();
                    }
                }
                provision();
                break;
            } catch (TemporalFailure refused) {
                if (!mayWaitForCapacity(refused)) {
                    throw refused;
                }
                waitForCapacity(refused, signalsBefore);
            }
        }
        if (holdsCapacity) {
            releaseReservation(true);
        }
    }

    @Override
    public void capacityAdded() {
        capacitySignals++;
    }

    @Override
    public void cancel(String reason) {
        if (!cancellable || cancelRequested || status.terminal() || status == OrderStatus.COMPENSATING) {
            return;
        }
        cancelRequested = true;
        cancelReason = reason == null || reason.isBlank() ? "cancel requested" : reason;
        if (steps != null) {
            steps.cancel(cancelReason);
        }
    }

    /** The provision child's steps, shown in this order's timeline as the order's own. */
    @Override
    public void provisionProgress(ProvisionProgress event) {
        OrderStep step = childStep(event.step());
        if (step == null || event.kind() == null) {
            return;
        }
        switch (event.kind()) {
            case STARTED -> {
                currentStep = step;
                timeline.start(step, event.at());
                upsertSagaStep(step.id());
            }
            case ATTEMPTS -> timeline.attempts(step, event.attempts(), event.error());
            case DONE -> {
                timeline.done(step, event.at());
                if (step == OrderStep.CREATE_SERVER) {
                    markServerId();
                }
            }
            case FAILED -> timeline.failed(step, event.at(), event.error());
            case UNDOING -> {
                // The child's delete may retry for hours (a revoked key): the order is undoing from now on.
                status = OrderStatus.COMPENSATING;
                upsertSagaStep("compensating");
                upsertOrderStatus();
            }
            case COMPENSATED -> timeline.compensated(step, event.at());
            case UNDO_GAVE_UP -> {
                serverDeleteOwed = true;
                undoProblems.add(event.error());
            }
        }
    }

    @Override
    public void provisionProgressBatch(ProvisionProgressBatch batch) {
        if (batch != null && batch.events() != null) {
            batch.events().forEach(this::provisionProgress);
        }
    }

    private static OrderStep childStep(String id) {
        for (OrderStep step : List.of(OrderStep.ENSURE_PANEL_USER, OrderStep.CREATE_SERVER,
                OrderStep.AWAIT_INSTALLED)) {
            if (step.id().equals(id)) {
                return step;
            }
        }
        return null;
    }

    @Override
    public OrderProgress progress() {
        return new OrderProgress(request == null ? null : request.orderId(), status, reason,
                currentStep == null ? null : currentStep.id(),
                paymentId == null ? null : PaymentIds.workflowId(paymentId), serverId, timeline.snapshot());
    }

    // ---- steps -------------------------------------------------------------------------------------------------

    private void validate() {
        step(OrderStep.VALIDATE, () -> {
            List<String> problems = OrderValidation.problems(request);
            if (!problems.isEmpty()) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "order is invalid: " + String.join("; ", problems), OrderFailures.ORDER_INVALID, problems);
            }
        });
    }

    private void charge() {
        step(OrderStep.CHARGE, () -> {
            paymentId = PaymentIds.forOrder(request.orderId(), request.attempt());
            PlanSnapshot plan = request.plan();
            paymentRequest = new PaymentRequest(paymentId, request.orderId(), request.customer().id(),
                    request.customer().email(), request.paymentMethod(),
                    request.paymentMethod() == PaymentMethod.TKCOINS ? plan.priceCoins() : 0,
                    request.paymentMethod() == PaymentMethod.CARD ? plan.priceAmountMinor() : 0,
                    request.paymentMethod() == PaymentMethod.CARD ? plan.currency() : null,
                    "Server " + request.serverName() + " (" + plan.planId() + ")",
                    options.cardPaymentDeadlineSeconds());
            PaymentWorkflow payments = Workflow.newChildWorkflowStub(PaymentWorkflow.class, paymentChildOptions());
            try {
                payment = payments.pay(paymentRequest);
            } catch (ChildWorkflowFailure failure) {
                // A payment that failed on its own terms or was cancelled has given back what it took.
                paymentOutcomeUnknown = !(failure.getCause() instanceof ApplicationFailure
                        || failure.getCause() instanceof CanceledFailure);
                throw failure;
            }
        });
    }

    private void ensurePanelUser() {
        step(OrderStep.ENSURE_PANEL_USER, () -> {
            Customer customer = request.customer();
            String[] names = splitName(customer.name());
            panelUser = panel.ensurePanelUser(new PanelUserRequest(customer.id(), customer.email(),
                    usernameFor(customer.id()), names[0], names[1]), request.region());
        });
    }

    /** Before any money moves; the activity runs the egg's regex rules, time-bounded, off the workflow thread. */
    private void resolveEggVariables() {
        step(OrderStep.RESOLVE_EGG_VARIABLES, () -> {
            PlanSnapshot plan = request.plan();
            egg = panel.resolveEggVariables(plan.nestId(), plan.eggId(), plan.environment(), request.eggVariables(),
                    request.region());
        });
    }

    /**
     * DEFAULT_VERSION of {@link #EGG_BEFORE_CHARGE}: the same commands as before (describeEgg, then decide here).
     * Regex rules are no longer run on customer input in workflow code: the panel checks them on create.
     */
    private void resolveEggVariablesAfterCharge() {
        step(OrderStep.RESOLVE_EGG_VARIABLES, () -> {
            PlanSnapshot plan = request.plan();
            EggSpec described = panel.describeEgg(plan.nestId(), plan.eggId(), request.region());
            EggVariableResolver.Resolution resolution = EggVariableResolver.resolve(described, plan.environment(),
                    request.eggVariables(), EggRules.LEFT_TO_PANEL);
            if (!resolution.valid()) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "invalid game settings: " + String.join("; ", resolution.problems()),
                        OrderFailures.EGG_VARIABLES_INVALID, resolution.problems());
            }
            egg = new ResolvedEgg(described.dockerImage(), described.startup(), resolution.environment());
        });
    }

    /**
     * Ensure user, create, await installed: one child that reports its steps to this run ({@link
     * #provisionProgress}) and deletes what it made if it does not finish.
     */
    private void provision() {
        if (cancelRequested) {
            throw new CanceledFailure(cancelReason);
        }
        placements++;
        provisionUndone = false;
        Customer customer = request.customer();
        String[] names = splitName(customer.name());
        PanelUserRequest user = new PanelUserRequest(customer.id(), customer.email(), usernameFor(customer.id()),
                names[0], names[1]);
        PlanSnapshot plan = request.plan();
        // The owner's panel id is set by the child once it has ensured the user.
        ServerSpec spec = new ServerSpec(request.serverName(), "Order " + request.orderId(), 0, plan.eggId(),
                firstNonBlank(plan.dockerImage(), egg.dockerImage()), firstNonBlank(plan.startup(), egg.startup()),
                egg.environment(), plan.limits(), plan.featureLimits(),
                // The reserved allocation pins the server to the node whose room was counted for it.
                reservation != null ? Integer.valueOf(reservation.allocationId()) : plan.allocationId(),
                plan.locationIds(), plan.portRanges());
        // Several ports: the reserved allocations and the egg variables that name them; the child picks again if the
        // panel says one is taken.
        boolean onReserved = reservation != null && reservation.placed();
        boolean severalPorts = onReserved && PlanPorts.multiple(plan.ports());
        if (severalPorts) {
            spec = spec.withAllocations(reservation.allocationId(), reservation.additional(),
                    plan.ports().fill(spec.environment(), reservation.ports()));
        }
        ProvisionRequest input = new ProvisionRequest(request.orderId(), request.attempt(), request.externalId(), user,
                spec, options.installDeadlineSeconds(), options.installPollInitialSeconds(),
                options.installPollMaxSeconds(), Workflow.getInfo().getWorkflowId(),
                request.lifecyclePolicy().forceDeleteAfterSeconds(), request.lifecyclePolicy().nodeRecheckSeconds(),
                severalPorts ? plan.ports() : null, onReserved ? reservation : null,
                onReserved ? CapacityDemand.of(plan) : null, request.region());
        ProvisionServerWorkflow child = Workflow.newChildWorkflowStub(ProvisionServerWorkflow.class,
                provisionChildOptions());
        if (Workflow.getVersion(ProvisionServerWorkflow.PROGRESS_BATCHES, Workflow.DEFAULT_VERSION, 1) >= 1) {
            // A child that reports in batches does not send its first step's start: starting it is that start.
            provisionProgress(new ProvisionProgress(ProvisionServerWorkflow.STEP_ENSURE_PANEL_USER,
                    ProvisionProgress.Kind.STARTED, Workflow.currentTimeMillis(), 0, null));
        }
        try {
            ProvisionedServer provisioned = child.provision(input);
            if (provisioned.progress() != null) {
                provisioned.progress().forEach(this::provisionProgress);
            }
            panelUser = provisioned.panelUser();
            server = provisioned.server();
            markServerId();
        } catch (ChildWorkflowFailure failure) {
            // Failed or cancelled, the child ran its undo. Terminated or timed out, it may not have.
            provisionUndone = !(failure.getCause() instanceof TerminatedFailure
                    || failure.getCause() instanceof TimeoutFailure);
            // A child that could not report its own failure (terminated, timed out) leaves its step running.
            if (currentStep != null && timeline.state(currentStep) == StepState.RUNNING) {
                timeline.failed(currentStep, Workflow.currentTimeMillis(), reasonOf(failure));
            }
            throw failure;
        }
    }

    private boolean mayWaitForCapacity(TemporalFailure refused) {
        // No room: no viable node, or the allocation reserved for the server was taken outside the orchestrator
        // (for a several-port server, once picking free ones again found too few).
        boolean noRoom = hasType(refused, PanelFailures.NO_CAPACITY) || hasType(refused, PanelFailures.ALLOCATION_TAKEN);
        if (request.waitForCapacity() == null || cancelRequested || !noRoom) {
            return false;
        }
        if (waitsForCapacity == null) {
            waitsForCapacity = Workflow.getVersion(WAIT_FOR_CAPACITY, Workflow.DEFAULT_VERSION, 1) >= 1;
        }
        return waitsForCapacity;
    }

    /**
     * The panel has no room for a server this order paid for. Until the deadline (counted from the first refusal)
     * the order gives its room back, says so (store, customer once) and sleeps on a durable timer that an operator's
     * "capacity added" cuts short. Returns to try again; throws past the deadline, into the refund.
     */
    private void waitForCapacity(TemporalFailure refused, int signalsBefore) {
        long now = Workflow.currentTimeMillis();
        boolean firstWait = waitDeadline == 0;
        if (firstWait) {
            waitDeadline = now + Math.max(1, request.waitForCapacity().maxWaitSeconds()) * 1000;
        }
        if (now >= waitDeadline) {
            throw noRoomInTime(refused);
        }
        // Nothing may stay held while the order sleeps: a reservation never outlives the try it was taken for.
        if (reservation != null && !reservationReleased) {
            releaseReservation(false);
        }
        status = OrderStatus.WAITING_FOR_CAPACITY;
        reason = reasonOf(refused);
        currentStep = OrderStep.WAIT_FOR_CAPACITY;
        timeline.start(OrderStep.WAIT_FOR_CAPACITY, now);
        upsertSagaStep(OrderStep.WAIT_FOR_CAPACITY.id());
        upsertOrderStatus();
        String why = reason;
        // Detached: a cancel that arrives meanwhile still finds the wait recorded and the customer told, once.
        Workflow.newDetachedCancellationScope(() -> {
            recordStatus(OrderStatus.WAITING_FOR_CAPACITY, why);
            if (firstWait) {
                tellCustomer(OrderStatus.WAITING_FOR_CAPACITY, why);
            }
        }).run();
        boolean woken = Workflow.await(Duration.ofMillis(waitDeadline - now),
                () -> capacitySignals > signalsBefore || cancelRequested);
        if (cancelRequested) {
            throw new CanceledFailure(cancelReason);
        }
        if (!woken) {
            ApplicationFailure late = noRoomInTime(refused);
            timeline.failed(OrderStep.WAIT_FOR_CAPACITY, Workflow.currentTimeMillis(), reasonOf(late));
            throw late;
        }
        timeline.done(OrderStep.WAIT_FOR_CAPACITY, Workflow.currentTimeMillis());
        waits++;
        status = OrderStatus.PROCESSING;
        reason = null;
        upsertOrderStatus();
        recordStatus(OrderStatus.PROCESSING, null);
    }

    private ApplicationFailure noRoomInTime(TemporalFailure refused) {
        // Not chained: the customer's reason and the operator's cause are this one, with the last refusal in words.
        return ApplicationFailure.newNonRetryableFailure("no room for plan " + request.plan().planId()
                + " came within the order's wait of " + request.waitForCapacity().maxWaitSeconds()
                + "s (last refusal: " + reasonOf(refused) + ")", PanelFailures.NO_CAPACITY);
    }

    /** The waiting state is for operators to list (the store) as much as for the customer. */
    private void recordStatus(OrderStatus now, String why) {
        try {
            store.markOrderStatus(request.orderId(), now, why, timeline.snapshot());
        } catch (ActivityFailure storeDown) {
            log.warn("order {}: status {} not recorded: {}", request.orderId(), now, reasonOf(storeDown));
        }
    }

    /** Room again after a wait: read afresh, since the figures that showed room last time were wrong. */
    private void retakeReservation() {
        if (cancelRequested) {
            throw new CanceledFailure(cancelReason);
        }
        reservation = capacity.retakeReservation(reservation, CapacityDemand.of(request.plan()));
        reservationReleased = false;
    }

    /** Sold out meanwhile: fails with NO_CAPACITY, before the charge or, after it, into the refund. */
    private void holdReservation() {
        if (cancelRequested) {
            throw new CanceledFailure(cancelReason);
        }
        reservation = capacity.holdReservation(reservation, CapacityDemand.of(request.plan()));
    }

    /**
     * The room is given back once the server stands on it, or when the order undoes. Never fails the order: a
     * reservation that cannot be released expires on its own.
     */
    private void releaseReservation(boolean serverPlaced) {
        if (reservation == null || (reservationReleased && serverPlaced)) {
            return;
        }
        try {
            capacityRelease.releaseReservation(reservation.reservationId(), reservation.nodeId(), serverPlaced,
                    reservation.region());
            reservationReleased = true;
        } catch (ActivityFailure failed) {
            log.warn("order {}: reservation {} not released, it expires on its own: {}", request.orderId(),
                    reservation.reservationId(), reasonOf(failed));
        }
    }

    private void markServerId() {
        if (serverId == null) {
            serverId = OrderIds.serverId(request.orderId());
            Workflow.upsertTypedSearchAttributes(SearchAttributes.SERVER_ID.valueSet(serverId));
        }
    }

    private void createServer() {
        step(OrderStep.CREATE_SERVER, () -> {
            PlanSnapshot plan = request.plan();
            ServerSpec spec = new ServerSpec(request.serverName(), "Order " + request.orderId(), panelUser.id(),
                    plan.eggId(), firstNonBlank(plan.dockerImage(), egg.dockerImage()),
                    firstNonBlank(plan.startup(), egg.startup()), egg.environment(), plan.limits(), plan.featureLimits(),
                    plan.allocationId(), plan.locationIds(), plan.portRanges());
            server = panelCreate.createServer(request.externalId(), spec, request.region());
            serverId = OrderIds.serverId(request.orderId());
            Workflow.upsertTypedSearchAttributes(SearchAttributes.SERVER_ID.valueSet(serverId));
        });
    }

    /** Polls with a growing interval (capped) until installed, install_failed, or the deadline. */
    private void awaitInstalled() {
        step(OrderStep.AWAIT_INSTALLED, () -> {
            long deadline = Workflow.currentTimeMillis() + options.installDeadlineSeconds() * 1000;
            long interval = options.installPollInitialSeconds() * 1000;
            int polls = 0;
            while (true) {
                long remaining = deadline - Workflow.currentTimeMillis();
                if (remaining <= 0) {
                    throw ApplicationFailure.newNonRetryableFailure("the server did not finish installing within "
                            + options.installDeadlineSeconds() + "s", OrderFailures.INSTALL_DEADLINE);
                }
                Workflow.sleep(Duration.ofMillis(Math.min(interval, remaining)));
                polls++;
                try {
                    server = installProbe.getServer(server.id(), request.region());
                    timeline.attempts(OrderStep.AWAIT_INSTALLED, polls, null);
                } catch (ActivityFailure probeFailed) {
                    if (hasAnyType(probeFailed, PanelFailures.FINAL_FOR_FORWARD_STEPS) || steps.isCancelRequested()) {
                        throw probeFailed;
                    }
                    // A slow or flaky panel is not a failed install: keep polling until the deadline.
                    timeline.attempts(OrderStep.AWAIT_INSTALLED, polls, reasonOf(probeFailed));
                    continue;
                }
                if (server.installFailed()) {
                    throw ApplicationFailure.newNonRetryableFailure(
                            "the server's installation failed (" + server.status() + ")", OrderFailures.INSTALL_FAILED);
                }
                if (server.installed()) {
                    return;
                }
                interval = Math.min(interval * 2, options.installPollMaxSeconds() * 1000);
            }
        });
    }

    private void recordServer() {
        step(OrderStep.RECORD_SERVER, () -> {
            PlanSnapshot plan = request.plan();
            long now = Workflow.currentTimeMillis();
            // No version marker: the commands are the same, and an order recorded before the policy travelled with
            // it has none, so it keeps the plan's calendar cycle.
            renewsAt = request.lifecyclePolicy().nextRenewal(plan.billingCycle(), now);
            store.recordServer(new ServerRecord(serverId, request.orderId(), request.customer().id(), plan.planId(),
                    request.serverName(), request.externalId(), server.id(), server.uuid(), server.identifier(),
                    panelUser.id(), server.node(), plan.billingCycle(), renewsAt,
                    request.paymentMethod(), plan.priceCoins(), plan.priceAmountMinor(), plan.currency(), now,
                    request.region()));
            // From here the server is delivered: ending it is a termination, not an order cancellation.
            cancellable = false;
        });
    }

    /**
     * Abandoned child: the start is recorded in this history atomically with the order's progress, needs no client
     * inside an activity, and ABANDON lets the server's entity outlive the order.
     */
    private void startLifecycle() {
        step(OrderStep.START_LIFECYCLE, () -> {
            PlanSnapshot plan = request.plan();
            ServerLifecycleWorkflow lifecycle = Workflow.newChildWorkflowStub(ServerLifecycleWorkflow.class,
                    ChildWorkflowOptions.newBuilder()
                            .setWorkflowId(ServerLifecycleWorkflow.workflowId(serverId))
                            .setTaskQueue(TaskQueues.ORCHESTRATION)
                            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                            .setCancellationType(ChildWorkflowCancellationType.ABANDON)
                            .build());
            ServerLifecycleInput input = new ServerLifecycleInput(serverId, request.orderId(), request.customer().id(),
                    plan.planId(), server.id(), request.externalId(), plan.billingCycle(), request.paymentMethod(),
                    plan.priceCoins(), plan.priceAmountMinor(), plan.currency(), renewsAt,
                    ServerLifecycleState.Status.ACTIVE, null, 1)
                    .withContact(request.customer().email(), request.serverName())
                    .withPolicy(request.lifecycle())
                    .inRegion(request.region());
            Async.procedure(lifecycle::run, input);
            try {
                Workflow.getWorkflowExecution(lifecycle).get();
            } catch (RuntimeException alreadyRunning) {
                if (!causedBy(alreadyRunning, "AlreadyStarted")) {
                    throw alreadyRunning;
                }
                // A repeat of this step (operator retry) finds the server's entity already alive: that is the goal.
                log.info("lifecycle of {} already running", serverId);
            }
        });
    }

    // ---- compensations (run in reverse: forget the record, delete the server, refund) ------------------------------

    private void forgetServer() {
        undo(() -> {
            store.forgetServer(serverId, reason);
            timeline.compensated(OrderStep.RECORD_SERVER, Workflow.currentTimeMillis());
        });
    }

    /**
     * Registered before the create, so a create that landed but never answered is still undone. A panel that
     * answers 404 proves there is nothing to delete.
     */
    private void deleteServer() {
        undo(() -> {
            serverDeleteOwed = true;
            boolean deleted;
            try {
                deleted = panelUndo.deleteServer(request.externalId(), request.region());
            } catch (ActivityFailure failure) {
                if (!hasAnyType(failure, PanelFailures.NOTHING_TO_UNDO)) {
                    throw failure;
                }
                deleted = false;
            }
            serverDeleteOwed = false;
            if (deleted || timeline.state(OrderStep.CREATE_SERVER) == StepState.DONE) {
                timeline.compensated(OrderStep.CREATE_SERVER, Workflow.currentTimeMillis());
            }
        });
    }

    /**
     * After the provision child: it undid its own create when it failed, so this runs only when a later step failed
     * (or the child ended without undoing). One panel call per activity, by id when the child handed the server
     * over, and the termination's time-based rule for a dead node.
     */
    private void deleteServerUnlessProvisionUndid() {
        if (provisionUndone) {
            return;
        }
        undo(() -> {
            serverDeleteOwed = true;
            PanelServerRef made = server != null ? server
                    : panelUndo.findServerByExternalId(request.externalId(), request.region());
            boolean deleted = false;
            if (made != null) {
                LifecyclePolicy rules = request.lifecyclePolicy();
                deleted = PanelServerRemoval.remove(panelRemoval, made.id(), request.region(),
                        rules.forceDeleteAfterSeconds(),
                        rules.nodeRecheckSeconds(), "order " + request.orderId()).deletedOnPanel();
            }
            serverDeleteOwed = false;
            if (deleted || timeline.state(OrderStep.CREATE_SERVER) == StepState.DONE) {
                timeline.compensated(OrderStep.CREATE_SERVER, Workflow.currentTimeMillis());
            }
        });
    }

    private void refundCharge() {
        boolean charged = payment != null && payment.charged();
        if (!charged && !paymentOutcomeUnknown) {
            return;
        }
        undo(() -> {
            refundOwed = true;
            RefundReceipt receipt = refunds.refund(PaymentIds.refundKey(paymentId),
                    RefundRequest.of(paymentRequest, payment, reason));
            refundOwed = false;
            refunded = receipt.refunded();
            if (refunded) {
                timeline.compensated(OrderStep.CHARGE, Workflow.currentTimeMillis());
            }
        });
    }

    private void undo(Functions.Proc body) {
        try {
            body.apply();
        } catch (RuntimeException gaveUp) {
            undoProblems.add(reasonOf(gaveUp));
            throw gaveUp;
        }
    }

    private void undoAndClose(Saga saga, boolean cancelled, String why) {
        cancellable = false;
        reason = why;
        // The provision child may have said so already, when it began undoing its create.
        if (status != OrderStatus.COMPENSATING) {
            status = OrderStatus.COMPENSATING;
            upsertSagaStep("compensating");
            upsertOrderStatus();
        }
        String compensationProblem = null;
        try {
            saga.compensate();
        } catch (RuntimeException incomplete) {
            compensationProblem = reasonOf(incomplete);
            log.error("order {} compensation incomplete: {}", request.orderId(), compensationProblem);
        }
        if (!undoProblems.isEmpty()
                && Workflow.getVersion(COMPENSATION_FAILED_ALERT, Workflow.DEFAULT_VERSION, 1) >= 1) {
            log.error("order {} compensation gave up: {}", request.orderId(), undoProblems);
            giveUp(why, List.copyOf(undoProblems));
            return;
        }
        OrderStatus end = cancelled ? OrderStatus.CANCELLED : refunded ? OrderStatus.REFUNDED : OrderStatus.FAILED;
        String finalReason = compensationProblem == null ? why
                : why + "; COMPENSATION INCOMPLETE, operator action needed: " + compensationProblem;
        finish(end, finalReason);
        notifyCustomer(end, finalReason);
    }

    /**
     * An undo used up its retry window: the order ends in its own terminal state, then the operators are told. The
     * customer hears only the original reason; what is left to undo is for the operators.
     */
    private void giveUp(String why, List<String> problems) {
        String finalReason = why + "; COMPENSATION FAILED, operators alerted: " + String.join("; ", problems);
        finish(OrderStatus.COMPENSATION_FAILED, finalReason);
        alertOperators(why, problems);
        notifyCustomer(OrderStatus.COMPENSATION_FAILED, why);
    }

    private void alertOperators(String why, List<String> problems) {
        String workflowId = Workflow.getInfo().getWorkflowId();
        OperatorAlert alert = new OperatorAlert(OperatorAlert.COMPENSATION_FAILED, request.orderId(), workflowId,
                request.customer() == null ? null : request.customer().id(),
                "order " + request.orderId() + " could not be undone (" + why + ")" + (serverDeleteOwed
                        ? "; panel server " + request.externalId() + " may remain" : "")
                        + (refundOwed ? "; payment " + paymentId + " not refunded" : ""),
                List.copyOf(problems), request.externalId(), paymentId, !serverDeleteOwed, !refundOwed);
        String key = request.orderId() + ":" + Math.max(1, request.attempt()) + ":" + alert.kind();
        try {
            operators.alertOperators(key, alert);
        } catch (ActivityFailure undelivered) {
            // The order's state and the metric already say it; the alert rule on the metric still fires.
            log.error("order {}: operator alert not delivered: {}", request.orderId(), reasonOf(undelivered));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private void finish(OrderStatus end, String why) {
        status = end;
        reason = why;
        currentStep = null;
        timeline.skipPending();
        upsertSagaStep(end.name());
        upsertOrderStatus();
        try {
            store.markOrderStatus(request.orderId(), end, why, timeline.snapshot());
        } catch (ActivityFailure storeDown) {
            // The run's own result still carries the outcome; the API falls back to it.
            log.error("order {} ended {} but the store could not record it: {}", request.orderId(), end,
                    reasonOf(storeDown));
        }
    }

    /** The order's outcome, as its notify step. */
    private void notifyCustomer(OrderStatus outcome, String why) {
        step(OrderStep.NOTIFY, () -> tellCustomer(outcome, why));
    }

    /**
     * Three channels at once, each on its own; none of them can fail the order. Without a timeline step of its own,
     * so news that is not the outcome (waiting for capacity) is told the same way.
     */
    private void tellCustomer(OrderStatus outcome, String why) {
        Customer customer = request.customer();
        OrderNotification notification = new OrderNotification(request.orderId(),
                customer == null ? null : customer.id(), customer == null ? null : customer.email(),
                customer == null ? null : customer.name(), outcome.name(), why,
                outcome == OrderStatus.ACTIVE ? serverId : null, request.serverName(),
                server == null ? null : server.identifier(),
                request.plan() == null ? null : request.plan().planId());
        String key = request.orderId() + ":" + Math.max(1, request.attempt()) + ":" + outcome.name();
        List<Promise<Void>> sends = new ArrayList<>();
        if (customer != null && customer.email() != null) {
            sends.add(Async.procedure(notifications::emailCustomer, key, notification));
        }
        sends.add(Async.procedure(notifications::notifyStore, key, notification));
        sends.add(Async.procedure(notifications::publishOrderEvent, key, notification));
        List<String> failures = new ArrayList<>();
        for (Promise<Void> send : sends) {
            try {
                send.get();
            } catch (ActivityFailure failed) {
                if (CancellationScope.current().isCancelRequested()) {
                    throw failed;
                }
                failures.add(reasonOf(failed));
            }
        }
        if (!failures.isEmpty()) {
            log.warn("order {}: {} notification(s) not delivered: {}", request.orderId(), failures.size(), failures);
            if (outcome.terminal()) {
                timeline.attempts(OrderStep.NOTIFY, 1, String.join("; ", failures));
            }
        }
    }

    private void step(OrderStep step, Functions.Proc body) {
        if (cancelRequested && cancellable) {
            throw new CanceledFailure(cancelReason);
        }
        currentStep = step;
        timeline.start(step, Workflow.currentTimeMillis());
        upsertSagaStep(step.id());
        try {
            body.apply();
            timeline.done(step, Workflow.currentTimeMillis());
        } catch (RuntimeException e) {
            timeline.failed(step, Workflow.currentTimeMillis(), reasonOf(e));
            throw e;
        }
    }

    private void upsertSagaStep(String value) {
        Workflow.upsertTypedSearchAttributes(SearchAttributes.SAGA_STEP.valueSet(value));
    }

    private void upsertOrderStatus() {
        if (statusAttribute) {
            Workflow.upsertTypedSearchAttributes(SearchAttributes.ORDER_STATUS.valueSet(status.name()));
        }
    }

    private ChildWorkflowOptions paymentChildOptions() {
        return ChildWorkflowOptions.newBuilder()
                .setWorkflowId(PaymentIds.workflowId(paymentId))
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                // If this run is cancelled or closes, the payment is asked to cancel and gives back what it took.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
                .build();
    }

    /**
     * If this run is cancelled or closes, the child is asked to cancel, and the order waits until it has deleted
     * what it made: the refund never overtakes the delete.
     */
    private ChildWorkflowOptions provisionChildOptions() {
        return ChildWorkflowOptions.newBuilder()
                .setWorkflowId(ProvisionServerWorkflow.workflowId(request.orderId(), request.attempt(), placements))
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
                .build();
    }

    private static String firstNonBlank(String preferred, String fallback) {
        return preferred == null || preferred.isBlank() ? fallback : preferred;
    }

    /** Panel usernames allow letters, digits and {@code _-.}; the customer id keeps them unique. */
    static String usernameFor(String customerId) {
        String cleaned = customerId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "");
        String username = "tk_" + (cleaned.isEmpty() ? "customer" : cleaned);
        return username.length() > 191 ? username.substring(0, 191) : username;
    }

    static String[] splitName(String name) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty()) {
            return new String[]{"Customer", "Admin-TK"};
        }
        int space = trimmed.indexOf(' ');
        return space < 0 ? new String[]{trimmed, trimmed}
                : new String[]{trimmed.substring(0, space), trimmed.substring(space + 1).trim()};
    }
}
