package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.identity.AuditRepository.AuditEntry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@Controller("/api/v1/admin/audit")
@Requires(condition = ServesApi.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@Tag(name = "admin")
public class AuditController {

    /** Filter values are plain text: no operators can reach MongoDB, they are only ever compared for equality. */
    static final String FILTER = "[^$]{1,200}";

    @Serdeable
    public record AuditView(String id, Instant at, String actor, String actorRole, String action, String target,
                            String result, String ip, String requestId, String workflowId, Map<String, String> details) {
        static AuditView of(AuditEntry e) {
            Map<String, String> details = new LinkedHashMap<>();
            e.details().forEach((k, v) -> details.put(k, String.valueOf(v)));
            return new AuditView(e.id(), e.at(), e.actor(), e.actorRole(), e.action(), e.target(), e.result(), e.ip(),
                    e.requestId(), e.workflowId(), details);
        }
    }

    @Serdeable
    public record AuditPage(List<AuditView> items, int page, int size, long total) {
    }

    private final AuditRepository audit;

    public AuditController(AuditRepository audit) {
        this.audit = audit;
    }

    @Get
    @Operation(summary = "Read the audit log (ADMIN)", description = "Newest first; filters combine with AND; from inclusive, to exclusive")
    public AuditPage list(@Nullable @QueryValue @Pattern(regexp = FILTER) String actor,
                          @Nullable @QueryValue @Pattern(regexp = "[A-Z_]{1,64}") String action,
                          @Nullable @QueryValue @Pattern(regexp = FILTER) String target,
                          @Nullable @QueryValue Instant from,
                          @Nullable @QueryValue Instant to,
                          @Nullable @QueryValue @Min(0) @Max(10000) Integer page,
                          @Nullable @QueryValue @Min(1) @Max(200) Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        AuditRepository.Query query = new AuditRepository.Query(actor, action, target, from, to);
        return new AuditPage(audit.find(query, p, s).stream().map(AuditView::of).toList(), p, s, audit.count(query));
    }
}
