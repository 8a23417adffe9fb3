package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.identity.Roles;
import com.admintk.orchestrator.reconciliation.ReconciliationService.ReportPage;
import com.admintk.orchestrator.reconciliation.ReconciliationService.RunRequested;
import com.admintk.orchestrator.security.AuditLog;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import java.util.Map;

@Controller("/api/v1/admin/reconciliation")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@Tag(name = "admin")
public class ReconciliationController {

    private final ReconciliationService reconciliation;
    private final AuditLog audit;

    public ReconciliationController(ReconciliationService reconciliation, AuditLog audit) {
        this.reconciliation = reconciliation;
        this.audit = audit;
    }

    @Get("/reports")
    @Operation(summary = "Reconciliation reports (ADMIN)",
            description = "Newest first. Each pass compares every panel server with the store: orphans, servers "
                    + "missing from the panel, suspension and limit mismatches, stuck installs; with what was repaired")
    public ReportPage reports(@Nullable @QueryValue @Min(0) @Max(10000) Integer page,
                              @Nullable @QueryValue @Min(1) @Max(100) Integer size) {
        return reconciliation.reports(page == null ? 0 : page, size == null ? 20 : size);
    }

    @Post("/runs")
    @Operation(summary = "Run a reconciliation pass now (ADMIN)",
            description = "202 with the request id; the report of the pass that answers it lists it under requests. "
                    + "409 RECONCILIATION_DISABLED when reconciliation is turned off")
    public HttpResponse<RunRequested> runNow(HttpRequest<?> request, Authentication who,
                                             @Nullable @Header("Idempotency-Key") @Size(max = 200) String key) {
        RunRequested accepted = reconciliation.runNow(key);
        audit.record(request, who, "RECONCILIATION_RUN_REQUESTED", "workflow:" + accepted.workflowId(),
                AuditLog.SUCCESS, accepted.workflowId(), Map.of("requestId", accepted.requestId()));
        return HttpResponse.accepted().body(accepted);
    }
}
