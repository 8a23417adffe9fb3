package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.order.WaitingOrders;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
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

import java.util.LinkedHashMap;
import java.util.Map;

@Controller("/api/v1/admin/capacity")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@Tag(name = "admin")
public class AdminCapacityController {

    private final WaitingOrders waiting;
    private final AuditLog audit;

    public AdminCapacityController(WaitingOrders waiting, AuditLog audit) {
        this.waiting = waiting;
        this.audit = audit;
    }

    /** Narrows the wake-up to one plan and/or one location; an empty body wakes every waiting order. */
    @Serdeable
    public record CapacityAdded(@Nullable @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String planId,
                                @Nullable @Min(1) @Max(1_000_000) Integer locationId) {
    }

    @Post(value = "/added", consumes = MediaType.APPLICATION_JSON)
    @Operation(summary = "Capacity was added: wake the orders waiting for it (ADMIN)",
            description = "Signals every order in WAITING_FOR_CAPACITY (found in the store), or those of planId "
                    + "and/or locationId: each tries to place its server again, and waits again if there is still "
                    + "no room. 202 with the order ids woken.")
    public HttpResponse<WaitingOrders.Woken> capacityAdded(HttpRequest<?> request, Authentication who,
                                                           @Nullable @Body @Valid CapacityAdded body) {
        String planId = body == null ? null : body.planId();
        Integer locationId = body == null ? null : body.locationId();
        WaitingOrders.Woken woken = waiting.capacityAdded(planId, locationId);
        Map<String, Object> details = new LinkedHashMap<>();
        if (planId != null) {
            details.put("planId", planId);
        }
        if (locationId != null) {
            details.put("locationId", locationId);
        }
        details.put("woken", woken.orderIds().size());
        audit.record(request, who, AuditLog.Actions.CAPACITY_ADDED, planId == null ? "capacity" : "plan:" + planId,
                AuditLog.SUCCESS, null, details);
        return HttpResponse.accepted().body(woken);
    }
}
