package com.admintk.orchestrator.server;

import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Operators' actions on a server's lifecycle. Each goes to the audit log with the operator and the reason; each is
 * idempotent per {@code Idempotency-Key}, and the lifecycle itself gives a repeated action (a double click with two
 * keys) no second effect.
 */
@Controller("/api/v1/admin/servers")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "servers")
@Secured(Roles.ADMIN)
public class AdminServerController {

    static final int MAX_REASON = 500;

    private final ServerService servers;
    private final AuditLog audit;

    public AdminServerController(ServerService servers, AuditLog audit) {
        this.servers = servers;
        this.audit = audit;
    }

    @Operation(summary = "Admin: suspends a server (kind ADMIN, the default, or ABUSE); a payment never lifts it. "
            + "Requires an Idempotency-Key header; answers 202.")
    @Post(value = "/{serverId}/suspend", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<String> suspend(HttpRequest<?> request,
                                        @PathVariable @Pattern(regexp = ServerService.SERVER_ID) String serverId,
                                        @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                        @Body @Valid SuspendRequest body, Authentication who) {
        ServerService.SuspensionKind kind = body.kind() == null ? ServerService.SuspensionKind.ADMIN
                : ServerService.SuspensionKind.valueOf(body.kind());
        return ServerController.answer(servers.suspend(who, serverId, idempotencyKey, body, kind, body.reason(),
                accepted -> audited(request, who, AuditLog.Actions.SERVER_SUSPENDED, accepted, body.reason(),
                        kind.name())));
    }

    @Operation(summary = "Admin: lifts any suspension. Requires an Idempotency-Key header; answers 202.")
    @Post(value = "/{serverId}/unsuspend", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<String> unsuspend(HttpRequest<?> request,
                                          @PathVariable @Pattern(regexp = ServerService.SERVER_ID) String serverId,
                                          @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                          @Body @Valid ReasonRequest body, Authentication who) {
        return ServerController.answer(servers.unsuspend(who, serverId, idempotencyKey, body, body.reason(),
                accepted -> audited(request, who, AuditLog.Actions.SERVER_UNSUSPENDED, accepted, body.reason(), null)));
    }

    @Operation(summary = "Admin: terminates a server (panel delete, force delete when its node stays dead); the "
            + "record and its history are kept. Requires an Idempotency-Key header; answers 202.")
    @Post(value = "/{serverId}/terminate", consumes = MediaType.APPLICATION_JSON)
    public HttpResponse<String> terminate(HttpRequest<?> request,
                                          @PathVariable @Pattern(regexp = ServerService.SERVER_ID) String serverId,
                                          @Nullable @Header("Idempotency-Key") String idempotencyKey,
                                          @Body @Valid ReasonRequest body, Authentication who) {
        return ServerController.answer(servers.terminate(who, serverId, idempotencyKey, body, body.reason(),
                accepted -> audited(request, who, AuditLog.Actions.SERVER_TERMINATED, accepted, body.reason(), null)));
    }

    private void audited(HttpRequest<?> request, Authentication who, String action, ServerViews.Accepted accepted,
                         String reason, @Nullable String kind) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        if (kind != null) {
            details.put("kind", kind);
        }
        audit.record(request, who, action, "server:" + accepted.serverId(), AuditLog.SUCCESS, accepted.workflowId(),
                details);
    }

    /** Why the operator acts: required, it goes to the server's history, the customer's notice and the audit log. */
    @Serdeable
    public record ReasonRequest(@NotBlank @Size(max = MAX_REASON) String reason) {
    }

    @Serdeable
    public record SuspendRequest(@NotBlank @Size(max = MAX_REASON) String reason,
                                 @Nullable @Pattern(regexp = "ADMIN|ABUSE") String kind) {
    }
}
