package com.admintk.orchestrator.order;

import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.security.AuditLog;
import com.admintk.orchestrator.idempotency.IdempotentRequests;
import com.admintk.orchestrator.identity.LiveSessionFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "orders")
public class OrderController {

    static final String ORDER_ID = "ord_[0-9a-f]{24}";

    private final OrderService orders;
    private final AuditLog audit;

    public OrderController(OrderService orders, AuditLog audit) {
        this.orders = orders;
        this.audit = audit;
    }

    @Operation(summary = "Checkout: starts the provisioning saga. Requires an Idempotency-Key header; answers 202.",
            description = "Game settings (eggVariables) that break the egg's rules are refused before anything is "
                    + "stored or charged: 422 EGG_VARIABLES_INVALID, details.variables naming each refused variable.")
    @Post(value = "/orders", consumes = MediaType.APPLICATION_JSON)
    @Secured({Roles.CLIENT, Roles.ADMIN, Roles.STORE})
    public HttpResponse<String> checkout(HttpRequest<?> request,
                                         @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                         @Body @Valid CheckoutRequest body, Authentication who) {
        IdempotentRequests.StoredResponse response = orders.checkout(who, LiveSessionFilter.account(request),
                idempotencyKey, body, accepted ->
                audit.record(request, who, AuditLog.Actions.ORDER_CREATED, "order:" + accepted.orderId(), AuditLog.SUCCESS,
                        OrderIds.workflowId(accepted.orderId()), Map.of("planId", body.planId(),
                                "paymentMethod", body.paymentMethod())));
        return HttpResponse.<String>status(HttpStatus.valueOf(response.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(response.body());
    }

    @Operation(summary = "An order with its saga step timeline (live while it runs).")
    @Get("/orders/{orderId}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public OrderViews.Order get(@PathVariable @Pattern(regexp = ORDER_ID) String orderId, Authentication who) {
        return orders.get(who, orderId);
    }

    @Operation(summary = "Orders: a client's own, or all for an admin (filter by customerId, status).")
    @Get("/orders{?status,customerId,page,size}")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public OrderViews.Page list(@Nullable @QueryValue @Pattern(regexp = "[A-Z_]{1,20}") String status,
                                @Nullable @QueryValue @Pattern(regexp = "usr_[0-9a-f]{24}") String customerId,
                                @QueryValue(defaultValue = "0") @Min(0) @Max(10_000) int page,
                                @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size,
                                Authentication who) {
        return orders.list(who, status, customerId, page, size);
    }

    @Operation(summary = "Cancels a running order: the server is removed and any charge refunded.")
    @Post(value = "/orders/{orderId}/cancel", consumes = MediaType.APPLICATION_JSON)
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public HttpResponse<OrderViews.Order> cancel(HttpRequest<?> request,
                                                 @PathVariable @Pattern(regexp = ORDER_ID) String orderId,
                                                 @Nullable @Body @Valid CancelRequest body, Authentication who) {
        OrderViews.Order order = orders.cancel(who, orderId, body == null ? null : body.reason());
        audit.record(request, who, AuditLog.Actions.ORDER_CANCELLED, "order:" + orderId, AuditLog.SUCCESS,
                OrderIds.workflowId(orderId), Map.of());
        return HttpResponse.accepted().body(order);
    }

    @Operation(summary = "Admin: runs a FAILED or REFUNDED order again as a new attempt.")
    @Post(value = "/admin/orders/{orderId}/retry", consumes = MediaType.APPLICATION_JSON)
    @Secured(Roles.ADMIN)
    public HttpResponse<OrderViews.Order> retry(HttpRequest<?> request,
                                                @PathVariable @Pattern(regexp = ORDER_ID) String orderId,
                                                Authentication who) {
        OrderViews.Order order = orders.retry(orderId);
        audit.record(request, who, AuditLog.Actions.ORDER_RETRIED, "order:" + orderId, AuditLog.SUCCESS,
                OrderIds.workflowId(orderId), Map.of("attempt", order.attempt()));
        return HttpResponse.accepted().body(order);
    }

    @Serdeable
    public record CancelRequest(@Nullable @Size(max = 500) String reason) {
    }
}
