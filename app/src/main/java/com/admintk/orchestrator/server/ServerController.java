package com.admintk.orchestrator.server;

import com.admintk.orchestrator.idempotency.IdempotentRequests;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.Map;

/** A customer's servers (an admin's: everyone's). Another customer's server answers 404. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "servers")
public class ServerController {

    static final String STATUS = "ACTIVE|PAST_DUE|SUSPENDED|TERMINATED|RELEASED";

    static final String RENEWAL_REQUESTED = "SERVER_RENEWAL_REQUESTED";
    static final String CANCELLATION_REQUESTED = "SERVER_CANCELLATION_REQUESTED";
    static final String PLAN_CHANGE_REQUESTED = "SERVER_PLAN_CHANGE_REQUESTED";
    static final String REINSTALL_REQUESTED = "SERVER_REINSTALL_REQUESTED";

    private final ServerService servers;
    private final AuditLog audit;

    public ServerController(ServerService servers, AuditLog audit) {
        this.servers = servers;
        this.audit = audit;
    }

    @Operation(summary = "Servers, newest first: a client's own, or all for an admin (filter by customerId, status).")
    @Get("/servers{?status,customerId,page,size}")
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public ServerViews.Page list(@Nullable @QueryValue @Pattern(regexp = STATUS) String status,
                                 @Nullable @QueryValue @Pattern(regexp = "usr_[0-9a-f]{24}") String customerId,
                                 @QueryValue(defaultValue = "0") @Min(0) @Max(10_000) int page,
                                 @QueryValue(defaultValue = "20") @Min(1) @Max(100) int size,
                                 Authentication who) {
        return servers.list(who, status, customerId, page, size);
    }

    @Operation(summary = "A server: plan and limits, panel identifiers, lifecycle state, next renewal, history.",
            description = "lifecycle.source is LIFECYCLE when the server's lifecycle workflow answered, STORE when it "
                    + "could not and the stored record is shown (no history then).")
    @Get("/servers/{serverId}")
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public ServerViews.Server get(@PathVariable @Pattern(regexp = ServerService.SERVER_ID) String serverId,
                                  Authentication who) {
        return servers.get(who, serverId);
    }

    @Operation(summary = "Pay now: charges one period and renews (lifts a suspension for non-payment). "
            + "Requires an Idempotency-Key header; answers 202.")
    @Post(value = "/servers/{serverId}/renew", consumes = MediaType.APPLICATION_JSON)
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public HttpResponse<String> renew(HttpRequest<?> request,
                                      @PathVariable @Pattern(regexp = ServerService.SERVER_ID) String serverId,
                                      @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                      @Nullable @Body @Valid ActionRequest body, Authentication who) {
        ActionRequest action = ActionRequest.orEmpty(body);
        return answer(servers.renew(who, serverId, idempotencyKey, action, action.reason(),
                accepted -> audited(request, who, RENEWAL_REQUESTED, accepted, Map.of())));
    }

    @Operation(summary = "Cancels at the end of the paid period: the server is terminated then instead of renewed. "
            + "Requires an Idempotency-Key header; answers 202.")
    @Post(value = "/servers/{serverId}/cancel", consumes = MediaType.APPLICATION_JSON)
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public HttpResponse<String> cancel(HttpRequest<?> request,
                                       @PathVariable @Pattern(regexp = ServerService.SERVER_ID) String serverId,
                                       @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                       @Nullable @Body @Valid ActionRequest body, Authentication who) {
        ActionRequest action = ActionRequest.orEmpty(body);
        return answer(servers.cancelAtPeriodEnd(who, serverId, idempotencyKey, action, action.reason(),
                accepted -> audited(request, who, CANCELLATION_REQUESTED, accepted, Map.of())));
    }

    @Operation(summary = "Upgrade or downgrade to another plan for sale (prorated charge or wallet credit). "
            + "Requires an Idempotency-Key header; answers 202.",
            description = "An unknown plan is 422 PLAN_NOT_FOUND and nothing is sent; the lifecycle refuses with 409 "
                    + "PLAN_UNCHANGED, SERVER_SUSPENDED, SERVER_BUSY or SERVER_TERMINATED.")
    @Patch(value = "/servers/{serverId}/plan", consumes = MediaType.APPLICATION_JSON)
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public HttpResponse<String> changePlan(HttpRequest<?> request,
                                           @PathVariable @Pattern(regexp = ServerService.SERVER_ID) String serverId,
                                           @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                           @Body @Valid PlanChange body, Authentication who) {
        return answer(servers.changePlan(who, serverId, idempotencyKey, body, body.planId(),
                accepted -> audited(request, who, PLAN_CHANGE_REQUESTED, accepted, Map.of("planId", body.planId()))));
    }

    @Operation(summary = "Reinstalls the server and waits until it is installed again; a second request while one "
            + "runs answers the running one (alreadyRunning). Requires an Idempotency-Key header; answers 202.")
    @Post(value = "/servers/{serverId}/reinstall", consumes = MediaType.APPLICATION_JSON)
    @Secured({Roles.CLIENT, Roles.ADMIN})
    public HttpResponse<String> reinstall(HttpRequest<?> request,
                                          @PathVariable @Pattern(regexp = ServerService.SERVER_ID) String serverId,
                                          @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                          @Nullable @Body @Valid ActionRequest body, Authentication who) {
        ActionRequest action = ActionRequest.orEmpty(body);
        return answer(servers.reinstall(who, serverId, idempotencyKey, action, action.reason(),
                accepted -> audited(request, who, REINSTALL_REQUESTED, accepted, Map.of())));
    }

    private void audited(HttpRequest<?> request, Authentication who, String action, ServerViews.Accepted accepted,
                         Map<String, Object> details) {
        audit.record(request, who, action, "server:" + accepted.serverId(), AuditLog.SUCCESS, accepted.workflowId(),
                details);
    }

    static HttpResponse<String> answer(IdempotentRequests.StoredResponse response) {
        return HttpResponse.<String>status(HttpStatus.valueOf(response.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE).body(response.body());
    }

    /** An optional reason, shown in the server's history. */
    @Serdeable
    public record ActionRequest(@Nullable @Size(max = 500) String reason) {

        static ActionRequest orEmpty(@Nullable ActionRequest body) {
            return body == null ? new ActionRequest(null) : body;
        }
    }

    /** {@code planId} is checked after the server's owner, so another customer's server is 404 whatever the body. */
    @Serdeable
    public record PlanChange(@Nullable @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String planId) {
    }
}
