package com.admintk.orchestrator.order;

import com.admintk.orchestrator.capacity.RegionalCapacity;
import com.admintk.orchestrator.capacity.CapacityDemand;
import com.admintk.orchestrator.capacity.CapacityReservation;
import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.error.DependencyOutages;
import com.admintk.orchestrator.idempotency.IdempotentRequests;
import com.admintk.orchestrator.identity.CurrentUser;
import com.admintk.orchestrator.identity.UserRecord;
import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.payment.PaymentDetails;
import com.admintk.orchestrator.payment.PaymentIds;
import com.admintk.orchestrator.payment.PaymentMethod;
import com.admintk.orchestrator.payment.PaymentWorkflow;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.PanelException;
import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.server.LifecycleSettings;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.store.Paged;
import com.admintk.orchestrator.temporal.SearchAttributeRegistrar;
import com.admintk.orchestrator.temporal.TemporalSettings;
import com.mongodb.MongoWriteException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.AbstractMap;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Checkout and the order resource. The workflow {@code order:{orderId}} does the work; this service starts it
 * exactly once per order, and reads its progress while it runs or the stored order once it is done.
 *
 * <p>Capacity before money: a checkout (and an operator's retry) first reserves room for the server on a node; when
 * nothing fits it answers 409 {@code SOLD_OUT} and stores nothing. The reservation travels in the order to its saga,
 * which creates the server on it and gives it back. Metric: {@code orders_sold_out_total{plan}}.
 *
 * <p>Regions: the checkout's {@code region} must be one the plan is sold in (else 422, nothing stored); without one
 * the plan's region with the most room is taken. The region travels in the order to the server's record and
 * lifecycle, so every later panel call for the server goes to that region's panel.
 */
@Singleton
public class OrderService {

    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);
    static final String CAPACITY_UNAVAILABLE = "CAPACITY_UNAVAILABLE";
    /**
     * Orders an operator may run again. Not COMPENSATION_FAILED: its first charge may still be held and its server
     * may still exist, so a new attempt would charge twice; the operator finishes that undo by hand (see the alert).
     */
    private static final List<String> RETRYABLE = List.of(OrderStatus.FAILED.name(), OrderStatus.REFUNDED.name());

    private final OrderStore orders;
    private final PlanCatalog plans;
    private final UserService users;
    private final CurrentUser currentUser;
    private final IdempotentRequests idempotent;
    private final WorkflowClient temporal;
    private final TemporalSettings temporalSettings;
    private final SearchAttributeRegistrar searchAttributes;
    private final OrderSettings settings;
    private final LifecycleSettings lifecycle;
    private final RegionalCapacity capacity;
    private final PanelRegions regions;
    private final MeterRegistry metrics;

    public OrderService(OrderStore orders, PlanCatalog plans, UserService users, CurrentUser currentUser,
                        IdempotentRequests idempotent, WorkflowClient temporal, TemporalSettings temporalSettings,
                        SearchAttributeRegistrar searchAttributes, OrderSettings settings,
                        LifecycleSettings lifecycle, RegionalCapacity capacity, PanelRegions regions,
                        MeterRegistry metrics) {
        this.orders = orders;
        this.plans = plans;
        this.users = users;
        this.currentUser = currentUser;
        this.idempotent = idempotent;
        this.temporal = temporal;
        this.temporalSettings = temporalSettings;
        this.searchAttributes = searchAttributes;
        this.settings = settings;
        this.lifecycle = lifecycle;
        this.capacity = capacity;
        this.regions = regions;
        this.metrics = metrics;
    }

    /**
     * {@code onAccepted} runs once, for the first request only (replays do not repeat it). {@code caller}: the
     * caller's account as this request already read it (the live-session check), or null; it is reused when the
     * caller checks out for themselves.
     */
    public IdempotentRequests.StoredResponse checkout(Authentication who, UserRecord caller, String idempotencyKey,
                                                      CheckoutRequest body, Consumer<OrderViews.Accepted> onAccepted) {
        CapacityWait wait = capacityWait(body.waitForCapacity());
        String customerId = currentUser.customerFor(who, body.customerId(), body.externalCustomerId());
        String scope = currentUser.id(who) + ":POST /api/v1/orders";
        return idempotent.run(idempotencyKey, scope, body, () -> {
            // The order id follows the key, so a retry after a failed first attempt finds the same order.
            String orderId = "ord_" + IdempotentRequests.derivedId(scope, idempotencyKey);
            Plan plan = activePlan(body.planId());
            EggVariablesCheck.requireValid(plan, body.variables());
            String region = regionFor(plan, body.region());
            UserRecord customer = caller != null && caller.id().equals(customerId) ? caller
                    : users.findById(customerId).orElseThrow(() -> ApiException.notFound("Customer"));
            PaymentMethod method = PaymentMethod.fromApiName(body.paymentMethod());
            OrderDocument order = new OrderDocument(orderId, customerId, currentUser.id(who), plan.id(), body.serverName(),
                    body.variables(), method, 1, OrderStatus.PROCESSING, null, null, List.of(), null, null,
                    plan.secretsAmong(body.variables()));
            CapacityReservation reservation = reserve(plan, region);
            boolean handedOver = false;
            try {
                Optional<OrderStore.Stored> earlier = createOnce(order, region);
                if (earlier.isEmpty()) {
                    handedOver = start(order, plan, customer,
                            WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, reservation, wait, region);
                } else {
                    // A retried checkout whose first request stored the order keeps that order's region.
                    OrderStore.Stored stored = earlier.get();
                    if (stored.region() == null) {
                        orders.setRegion(orderId, region);
                    } else if (!stored.region().equals(region)) {
                        release(reservation);
                        reservation = null;
                        region = stored.region();
                        reservation = reserve(plan, region);
                    }
                    // A retry of a checkout whose first request failed after the start (say, the audit write) finds
                    // the order: it must not run it again. A second run of the same attempt reuses that attempt's
                    // payment keys and would read its refunded debit back as paid. Later attempts belong to the
                    // operator's retry.
                    if (stored.order().attempt() == 1 && !stored.hasRun(1)) {
                        handedOver = start(stored.order(), plan, customer,
                                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, reservation, wait,
                                region);
                    } else {
                        LOG.info("Order {} already started (attempt {}): answering it without a new run", orderId,
                                stored.order().attempt());
                    }
                }
            } finally {
                if (!handedOver) {
                    release(reservation);
                }
            }
            LOG.info("Order {} accepted for customer {} (plan {}, {})", orderId, customerId, plan.id(), method.apiName());
            OrderViews.Accepted accepted = new OrderViews.Accepted(orderId, OrderStatus.PROCESSING.name(),
                    links(orderId, currentUser.isAdmin(who)));
            onAccepted.accept(accepted);
            return new AbstractMap.SimpleEntry<>(HttpStatus.ACCEPTED, accepted);
        });
    }

    public OrderViews.Order get(Authentication who, String orderId) {
        return view(owned(who, orderId), currentUser.isAdmin(who));
    }

    public OrderViews.Page list(Authentication who, String status, String customerId, int page, int size) {
        boolean admin = currentUser.isAdmin(who);
        String owner = admin ? customerId : currentUser.id(who);
        Paged<OrderDocument> found = orders.list(owner, status, page, size);
        List<OrderViews.Order> items = found.items().stream().map(order -> storedView(order, admin)).toList();
        return new OrderViews.Page(items, page, size, found.total());
    }

    public OrderViews.Order cancel(Authentication who, String orderId, String reason) {
        OrderDocument order = owned(who, orderId);
        if (order.status().terminal()) {
            throw new ApiException(HttpStatus.CONFLICT, "ORDER_FINISHED", "The order is already " + order.status(),
                    Map.of("status", order.status().name()));
        }
        String why = reason == null || reason.isBlank() ? "cancelled by " + currentUser.id(who) : reason;
        temporal.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId(orderId)).cancel(why);
        return view(order, currentUser.isAdmin(who));
    }

    /** Operator retry of an order that failed for a reason since fixed (e.g. capacity added): a new attempt. */
    public OrderViews.Order retry(String orderId) {
        OrderDocument order = orders.find(orderId).orElseThrow(() -> ApiException.notFound("Order"));
        int attempt = order.attempt() + 1;
        // Checked before reopening, so a refusal leaves the order as it was instead of PROCESSING without a run.
        Plan plan = activePlan(order.planId());
        UserRecord customer = users.findById(order.customerId()).orElseThrow(() -> ApiException.notFound("Customer"));
        requirePreviousRunClosed(order);
        // The region the customer chose stays the order's; an order from before regions is placed anew.
        String region = regionFor(plan, orders.regionOf(orderId).orElse(null));
        CapacityReservation reservation = reserve(plan, region);
        boolean handedOver = false;
        try {
            orders.setRegion(orderId, region);
            handedOver = reopenAndStart(order, attempt, plan, customer, reservation, region);
        } finally {
            if (!handedOver) {
                release(reservation);
            }
        }
        return view(orders.find(orderId).orElseThrow(), true);
    }

    private boolean reopenAndStart(OrderDocument order, int attempt, Plan plan, UserRecord customer,
                                   CapacityReservation reservation, String region) {
        String orderId = order.id();
        if (!orders.reopen(orderId, attempt, RETRYABLE)) {
            throw new ApiException(HttpStatus.CONFLICT, "ORDER_NOT_RETRYABLE",
                    order.status() == OrderStatus.COMPENSATION_FAILED
                            ? "This order's undo gave up: finish it by hand (delete the server, refund), it is not"
                            + " retried" : "Only FAILED or REFUNDED orders can be retried; this one is " + order.status(),
                    Map.of("status", order.status().name()));
        }
        OrderDocument reopened = new OrderDocument(order.id(), order.customerId(), order.placedBy(), order.planId(),
                order.serverName(), order.eggVariables(), order.paymentMethod(), attempt, OrderStatus.PROCESSING, null,
                null, List.of(), order.createdAt(), null, order.secretVariables());
        // The one place a closed order id runs again, as a new attempt with its own payment keys.
        // An operator's retry is placed now or refunded: the customer's consent to wait was for the first attempt.
        return start(reopened, plan, customer, WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
                reservation, null, region);
    }

    /**
     * Room for the plan's server, before anything is stored or charged: 409 SOLD_OUT when no node of the plan's
     * locations has it. Null when the panel cannot be read right now: the order then goes ahead as before capacity
     * was checked (placed by the plan's deploy rules; a full panel refuses the create and the saga refunds), and its
     * saga waits for the panel like any other. Redis down is different: the panel can be read but concurrent
     * checkouts cannot see each other's reservations, so taking the order could oversell a node. It is refused with
     * 503 {@code CAPACITY_UNAVAILABLE} before anything is stored; the same Idempotency-Key works once Redis is back.
     */
    private CapacityReservation reserve(Plan plan, String region) {
        CapacityDemand demand = CapacityDemand.of(plan.snapshot());
        try {
            return capacity.reserve(region, "res_" + UUID.randomUUID().toString().replace("-", ""), demand)
                    .orElseThrow(() -> soldOut(plan, region));
        } catch (PanelException | io.lettuce.core.RedisException unknown) {
            if (causedByRedis(unknown)) {
                LOG.warn("Capacity of plan {} cannot be reserved, Redis is unavailable ({}): checkout refused",
                        plan.id(), unknown.getMessage());
                throw DependencyOutages.unavailable(CAPACITY_UNAVAILABLE, "Capacity cannot be reserved right now; "
                        + "nothing was stored or charged, retry shortly with the same Idempotency-Key", "redis");
            }
            LOG.warn("Capacity of plan {} unknown ({}): the order goes ahead without a reservation", plan.id(),
                    unknown.getMessage());
            return null;
        }
    }

    /** The reservation script itself, or the panel rate limiter in front of the panel read (both in Redis). */
    private static boolean causedByRedis(RuntimeException failure) {
        if (failure instanceof PanelException.Unavailable refused && failure.getCause() != null
                && refused.reason() == PanelException.Unavailable.Reason.RATE_LIMITED) {
            return true; // the shared panel budget could not be asked (a timeout says so without a Redis exception)
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.lettuce.core.RedisException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The customer's consent to wait for capacity, checked before anything is stored: positive and at most
     * {@code orchestrator.orders.max-capacity-wait}. 422 {@code INVALID_WAIT_FOR_CAPACITY} otherwise.
     */
    private CapacityWait capacityWait(CheckoutRequest.WaitForCapacity asked) {
        if (asked == null) {
            return null;
        }
        Duration maxWait;
        try {
            maxWait = Duration.parse(asked.maxWait());
        } catch (DateTimeParseException | ArithmeticException unreadable) {
            maxWait = null;
        }
        Duration cap = settings.maxCapacityWait();
        if (maxWait == null || maxWait.isNegative() || maxWait.toSeconds() < 1 || maxWait.compareTo(cap) > 0) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "INVALID_WAIT_FOR_CAPACITY",
                    "waitForCapacity.maxWait must be an ISO-8601 duration of at least 1 second and at most " + cap,
                    Map.of("field", "waitForCapacity.maxWait", "max", cap.toString()));
        }
        return CapacityWait.upTo(maxWait);
    }

    private ApiException soldOut(Plan plan, String region) {
        Counter.builder("orders.sold.out").description("Checkouts answered 409 SOLD_OUT: no node had room")
                .tag("plan", plan.id()).register(metrics).increment();
        List<Integer> locations = regions.locationsFor(region, plan.locationIds());
        LOG.info("Plan {} sold out in region {}, locations {}", plan.id(), region, locations);
        return new ApiException(HttpStatus.CONFLICT, "SOLD_OUT", "Plan '" + plan.id()
                + "' is sold out in region " + region + ", locations " + locations + "; nothing was charged",
                Map.of("planId", plan.id(), "locationIds", List.copyOf(locations), "region", region));
    }

    /**
     * The region the server is made in: the one asked for, which must be configured and sell the plan (422
     * otherwise, before anything is stored), or else the plan's region with the most room right now (capacity's
     * view; the first of the plan's regions when none has room, so the reservation answers SOLD_OUT).
     */
    private String regionFor(Plan plan, String requested) {
        List<String> soldIn = plan.regionsOr(regions.defaultRegion());
        if (requested != null) {
            if (!regions.known(requested)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "REGION_UNKNOWN",
                        "No region '" + requested + "'", Map.of("field", "region",
                        "regions", List.copyOf(regions.names())));
            }
            String region = regions.nameOf(requested);
            if (!soldIn.contains(region)) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "REGION_NOT_SOLD",
                        "Plan '" + plan.id() + "' is not sold in region '" + region + "'",
                        Map.of("field", "region", "planId", plan.id(), "regions", soldIn));
            }
            return region;
        }
        List<String> candidates = soldIn.stream().filter(regions::known).map(regions::nameOf).toList();
        if (candidates.isEmpty()) {
            throw new ApiException(HttpStatus.CONFLICT, "REGION_UNAVAILABLE", "Plan '" + plan.id()
                    + "' is sold only in regions that are not configured", Map.of("planId", plan.id(),
                    "regions", soldIn));
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        try {
            return capacity.roomiest(candidates, CapacityDemand.of(plan.snapshot())).orElse(candidates.get(0));
        } catch (PanelException | io.lettuce.core.RedisException unknown) {
            LOG.warn("Room of plan {} unknown in every region ({}): placing it in {}", plan.id(),
                    unknown.getMessage(), candidates.get(0));
            return candidates.get(0);
        }
    }

    private void release(CapacityReservation reservation) {
        if (reservation == null) {
            return;
        }
        try {
            capacity.release(reservation.region(), reservation.reservationId(), reservation.nodeId(), false);
        } catch (RuntimeException redisDown) {
            LOG.warn("Reservation {} not released, it expires on its own: {}", reservation.reservationId(),
                    redisDown.toString());
        }
    }

    /** The run in the Temporal Web UI is for operators: its history holds what only they may read. */
    public Map<String, String> links(String orderId, boolean admin) {
        String self = "/api/v1/orders/" + orderId;
        return admin ? Map.of("self", self, "run", temporalSettings.runLink(OrderIds.workflowId(orderId)))
                : Map.of("self", self);
    }

    private Plan activePlan(String planId) {
        return plans.forSale(planId).filter(Plan::active).orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_ENTITY,
                "PLAN_NOT_FOUND", "No plan '" + planId + "' is for sale", Map.of("field", "planId")));
    }

    /** Empty when this stored the order; else the order a first attempt with the same key stored. */
    private Optional<OrderStore.Stored> createOnce(OrderDocument order, String region) {
        try {
            orders.create(order, region);
            return Optional.empty();
        } catch (MongoWriteException e) {
            if (!Database.isDuplicateKey(e)) {
                throw e;
            }
            return Optional.of(orders.findStored(order.id()).orElseThrow(() -> e));
        }
    }

    /**
     * The order is marked FAILED or REFUNDED before its run has told the customer and closed; a new attempt started
     * meanwhile would be refused by Temporal and leave the order PROCESSING without a run.
     */
    private void requirePreviousRunClosed(OrderDocument order) {
        WorkflowExecutionStatus run;
        try {
            run = temporal.newUntypedWorkflowStub(OrderIds.workflowId(order.id())).describe().getStatus();
        } catch (WorkflowNotFoundException gone) {
            return;
        }
        if (run == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            throw new ApiException(HttpStatus.CONFLICT, "ORDER_NOT_RETRYABLE",
                    "The order's last run is still closing; retry in a few seconds",
                    Map.of("status", order.status().name()));
        }
    }

    /** True when this call started the run, which then owns {@code reservation}. */
    private boolean start(OrderDocument order, Plan plan, UserRecord customer, WorkflowIdReusePolicy reusePolicy,
                          CapacityReservation reservation, CapacityWait wait, String region) {
        searchAttributes.ensureRegistered();
        OrderRequest request = new OrderRequest(order.id(), order.attempt(),
                new Customer(customer.id(), customer.email(), displayName(customer.email())),
                plan.snapshotOn(regions.locationsFor(region, plan.locationIds())),
                order.serverName(), order.eggVariables(), order.paymentMethod(), settings.toOptions(),
                // A reinstall waits for the panel's install as provisioning does.
                lifecycle.toPolicy().withInstallTiming(settings.toOptions()), reservation, wait, region);
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId(OrderIds.workflowId(order.id()))
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setWorkflowIdReusePolicy(reusePolicy)
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.ORDER_ID, order.id())
                        .set(SearchAttributes.CUSTOMER_ID, order.customerId())
                        .set(SearchAttributes.ORDER_STATUS, OrderStatus.PROCESSING.name())
                        .build())
                .build();
        WorkflowExecution run;
        boolean started = true;
        try {
            run = WorkflowClient.start(temporal.newWorkflowStub(OrderProvisioningWorkflow.class, options)::provision,
                    request);
        } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
            // An earlier request started it (its answer was lost): that run is this attempt's, with its own room.
            LOG.info("Order {} already has its run: returning it", order.id());
            run = alreadyStarted.getExecution();
            started = false;
        }
        orders.markRunStarted(order.id(), order.attempt(), run.getRunId());
        return started;
    }

    private OrderDocument owned(Authentication who, String orderId) {
        OrderDocument order = orders.find(orderId).orElseThrow(() -> ApiException.notFound("Order"));
        currentUser.requireOwnerOrAdmin(who, order.customerId(), "Order");
        return order;
    }

    private OrderViews.Order view(OrderDocument order, boolean admin) {
        if (order.status().terminal()) {
            return storedView(order, admin);
        }
        try {
            OrderProgress progress = temporal.newWorkflowStub(OrderProvisioningWorkflow.class,
                    OrderIds.workflowId(order.id())).progress();
            return build(order, admin, progress.status(), progress.reason(), progress.currentStep(),
                    progress.serverId(), progress.timeline(), payment(order, progress.paymentWorkflowId(), admin));
        } catch (RuntimeException queryFailed) {
            // No worker answering right now: the stored order is the best we have.
            LOG.debug("Progress query for {} failed: {}", order.id(), queryFailed.getMessage());
            return storedView(order, admin);
        }
    }

    private OrderViews.Order storedView(OrderDocument order, boolean admin) {
        return build(order, admin, order.status(), order.reason(), null, order.serverId(), order.timeline(), null);
    }

    private OrderViews.Payment payment(OrderDocument order, String paymentWorkflowId, boolean admin) {
        if (order.paymentMethod() != PaymentMethod.CARD) {
            return null;
        }
        String workflowId = paymentWorkflowId != null ? paymentWorkflowId
                : PaymentIds.workflowId(PaymentIds.forOrder(order.id(), order.attempt()));
        try {
            PaymentDetails details = temporal.newWorkflowStub(PaymentWorkflow.class, workflowId).details();
            return new OrderViews.Payment(order.paymentMethod().apiName(), details.status().name(),
                    details.providerPaymentId(), details.clientSecret(), admin ? details.failureReason() : null);
        } catch (RuntimeException notYet) {
            return new OrderViews.Payment(order.paymentMethod().apiName(), null, null, null, null);
        }
    }

    /** Customers get the reason as a code and a fixed sentence; the raw cause (internals) is for admins only. */
    private OrderViews.Order build(OrderDocument order, boolean admin, OrderStatus status, String reason,
                                   String currentStep, String serverId, List<StepRecord> timeline,
                                   OrderViews.Payment payment) {
        CustomerReason customerReason = CustomerReason.of(reason);
        return new OrderViews.Order(order.id(), order.customerId(), order.planId(), order.serverName(),
                order.paymentMethod().apiName(), order.attempt(), status.name(),
                customerReason == null ? null : customerReason.code(),
                customerReason == null ? null : customerReason.message(), admin ? reason : null, currentStep, serverId,
                timeline == null ? List.of() : timeline.stream().map(step -> OrderViews.Step.of(step, admin)).toList(),
                payment,
                instant(order.createdAt()), instant(order.updatedAt()), links(order.id(), admin));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static String displayName(String email) {
        int at = email.indexOf('@');
        return at > 0 ? email.substring(0, at) : email;
    }
}
