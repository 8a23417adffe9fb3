package com.admintk.orchestrator.order;

import com.admintk.orchestrator.common.SearchAttributes;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.error.ApiException;
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
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.temporal.SearchAttributeRegistrar;
import com.admintk.orchestrator.temporal.TemporalSettings;
import com.mongodb.MongoWriteException;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checkout and the order resource. The workflow {@code order:{orderId}} does the work; this service starts it
 * exactly once per order, and reads its progress while it runs or the stored order once it is done.
 */
@Singleton
public class OrderService {

    private static final Logger LOG = LoggerFactory.getLogger(OrderService.class);
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

    public OrderService(OrderStore orders, PlanCatalog plans, UserService users, CurrentUser currentUser,
                        IdempotentRequests idempotent, WorkflowClient temporal, TemporalSettings temporalSettings,
                        SearchAttributeRegistrar searchAttributes, OrderSettings settings) {
        this.orders = orders;
        this.plans = plans;
        this.users = users;
        this.currentUser = currentUser;
        this.idempotent = idempotent;
        this.temporal = temporal;
        this.temporalSettings = temporalSettings;
        this.searchAttributes = searchAttributes;
        this.settings = settings;
    }

    /** {@code onAccepted} runs once, for the first request only (replays do not repeat it). */
    public IdempotentRequests.StoredResponse checkout(Authentication who, String idempotencyKey, CheckoutRequest body,
                                                      Consumer<OrderViews.Accepted> onAccepted) {
        String customerId = currentUser.customerFor(who, body.customerId());
        String scope = currentUser.id(who) + ":POST /api/v1/orders";
        return idempotent.run(idempotencyKey, scope, body, () -> {
            // The order id follows the key, so a retry after a failed first attempt finds the same order.
            String orderId = "ord_" + IdempotentRequests.derivedId(scope, idempotencyKey);
            Plan plan = activePlan(body.planId());
            EggVariablesCheck.requireValid(plan, body.variables());
            UserRecord customer = users.findById(customerId).orElseThrow(() -> ApiException.notFound("Customer"));
            PaymentMethod method = PaymentMethod.fromApiName(body.paymentMethod());
            OrderDocument order = new OrderDocument(orderId, customerId, currentUser.id(who), plan.id(), body.serverName(),
                    body.variables(), method, 1, OrderStatus.PROCESSING, null, null, List.of(), null, null);
            createOnce(order);
            start(order, plan, customer);
            LOG.info("Order {} accepted for customer {} (plan {}, {})", orderId, customerId, plan.id(), method.apiName());
            OrderViews.Accepted accepted = new OrderViews.Accepted(orderId, OrderStatus.PROCESSING.name(), links(orderId));
            onAccepted.accept(accepted);
            return new AbstractMap.SimpleEntry<>(HttpStatus.ACCEPTED, accepted);
        });
    }

    public OrderViews.Order get(Authentication who, String orderId) {
        return view(owned(who, orderId));
    }

    public OrderViews.Page list(Authentication who, String status, String customerId, int page, int size) {
        String owner = currentUser.isAdmin(who) ? customerId : currentUser.id(who);
        List<OrderViews.Order> items = orders.list(owner, status, page, size).stream().map(this::storedView).toList();
        return new OrderViews.Page(items, page, size, orders.count(owner, status));
    }

    public OrderViews.Order cancel(Authentication who, String orderId, String reason) {
        OrderDocument order = owned(who, orderId);
        if (order.status().terminal()) {
            throw new ApiException(HttpStatus.CONFLICT, "ORDER_FINISHED", "The order is already " + order.status(),
                    Map.of("status", order.status().name()));
        }
        String why = reason == null || reason.isBlank() ? "cancelled by " + currentUser.id(who) : reason;
        temporal.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId(orderId)).cancel(why);
        return view(order);
    }

    /** Operator retry of an order that failed for a reason since fixed (e.g. capacity added): a new attempt. */
    public OrderViews.Order retry(String orderId) {
        OrderDocument order = orders.find(orderId).orElseThrow(() -> ApiException.notFound("Order"));
        int attempt = order.attempt() + 1;
        if (!orders.reopen(orderId, attempt, RETRYABLE)) {
            throw new ApiException(HttpStatus.CONFLICT, "ORDER_NOT_RETRYABLE",
                    "Only FAILED or REFUNDED orders can be retried; this one is " + order.status(),
                    Map.of("status", order.status().name()));
        }
        Plan plan = activePlan(order.planId());
        UserRecord customer = users.findById(order.customerId()).orElseThrow(() -> ApiException.notFound("Customer"));
        OrderDocument reopened = new OrderDocument(order.id(), order.customerId(), order.placedBy(), order.planId(),
                order.serverName(), order.eggVariables(), order.paymentMethod(), attempt, OrderStatus.PROCESSING, null,
                null, List.of(), order.createdAt(), null);
        start(reopened, plan, customer);
        return view(orders.find(orderId).orElseThrow());
    }

    public Map<String, String> links(String orderId) {
        return Map.of("self", "/api/v1/orders/" + orderId, "run", temporalSettings.runLink(OrderIds.workflowId(orderId)));
    }

    private Plan activePlan(String planId) {
        return plans.find(planId).filter(Plan::active).orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_ENTITY,
                "PLAN_NOT_FOUND", "No plan '" + planId + "' is for sale", Map.of("field", "planId")));
    }

    private void createOnce(OrderDocument order) {
        try {
            orders.create(order);
        } catch (MongoWriteException e) {
            if (!Database.isDuplicateKey(e)) {
                throw e;
            }
        }
    }

    private void start(OrderDocument order, Plan plan, UserRecord customer) {
        searchAttributes.ensureRegistered();
        OrderRequest request = new OrderRequest(order.id(), order.attempt(),
                new Customer(customer.id(), customer.email(), displayName(customer.email())), plan.snapshot(),
                order.serverName(), order.eggVariables(), order.paymentMethod(), settings.toOptions());
        WorkflowOptions options = WorkflowOptions.newBuilder()
                .setWorkflowId(OrderIds.workflowId(order.id()))
                .setTaskQueue(TaskQueues.ORCHESTRATION)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setTypedSearchAttributes(io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.ORDER_ID, order.id())
                        .set(SearchAttributes.CUSTOMER_ID, order.customerId())
                        .build())
                .build();
        try {
            WorkflowClient.start(temporal.newWorkflowStub(OrderProvisioningWorkflow.class, options)::provision, request);
        } catch (WorkflowExecutionAlreadyStarted alreadyRunning) {
            LOG.info("Order {} is already running: returning the existing run", order.id());
        }
    }

    private OrderDocument owned(Authentication who, String orderId) {
        OrderDocument order = orders.find(orderId).orElseThrow(() -> ApiException.notFound("Order"));
        currentUser.requireOwnerOrAdmin(who, order.customerId(), "Order");
        return order;
    }

    private OrderViews.Order view(OrderDocument order) {
        if (order.status().terminal()) {
            return storedView(order);
        }
        try {
            OrderProgress progress = temporal.newWorkflowStub(OrderProvisioningWorkflow.class,
                    OrderIds.workflowId(order.id())).progress();
            return build(order, progress.status(), progress.reason(), progress.currentStep(), progress.serverId(),
                    progress.timeline(), payment(order, progress.paymentWorkflowId()));
        } catch (RuntimeException queryFailed) {
            // No worker answering right now: the stored order is the best we have.
            LOG.debug("Progress query for {} failed: {}", order.id(), queryFailed.getMessage());
            return storedView(order);
        }
    }

    private OrderViews.Order storedView(OrderDocument order) {
        return build(order, order.status(), order.reason(), null, order.serverId(), order.timeline(), null);
    }

    private OrderViews.Payment payment(OrderDocument order, String paymentWorkflowId) {
        if (order.paymentMethod() != PaymentMethod.CARD) {
            return null;
        }
        String workflowId = paymentWorkflowId != null ? paymentWorkflowId
                : PaymentIds.workflowId(PaymentIds.forOrder(order.id(), order.attempt()));
        try {
            PaymentDetails details = temporal.newWorkflowStub(PaymentWorkflow.class, workflowId).details();
            return new OrderViews.Payment(order.paymentMethod().apiName(), details.status().name(),
                    details.providerPaymentId(), details.clientSecret(), details.failureReason());
        } catch (RuntimeException notYet) {
            return new OrderViews.Payment(order.paymentMethod().apiName(), null, null, null, null);
        }
    }

    private OrderViews.Order build(OrderDocument order, OrderStatus status, String reason, String currentStep,
                                   String serverId, List<StepRecord> timeline, OrderViews.Payment payment) {
        return new OrderViews.Order(order.id(), order.customerId(), order.planId(), order.serverName(),
                order.paymentMethod().apiName(), order.attempt(), status.name(), reason, currentStep, serverId,
                timeline == null ? List.of() : timeline.stream().map(OrderViews.Step::of).toList(), payment,
                instant(order.createdAt()), instant(order.updatedAt()), links(order.id()));
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    private static String displayName(String email) {
        int at = email.indexOf('@');
        return at > 0 ? email.substring(0, at) : email;
    }
}
