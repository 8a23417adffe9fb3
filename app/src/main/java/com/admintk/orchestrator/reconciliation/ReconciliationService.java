package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.pterodactyl.PanelRegions;
import com.admintk.orchestrator.common.TaskQueues;
import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.error.ApiException;
import com.admintk.orchestrator.temporal.TemporalSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.serde.annotation.Serdeable;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reports for operators, and "run now" requests to the reconciliation loop. */
@Singleton
@Requires(condition = ServesApi.class)
public class ReconciliationService {

    @Serdeable
    public record ItemView(String kind, String externalId, Integer panelServerId, String serverId, String detail,
                           String repair, boolean repaired, String error) {
    }

    @Serdeable
    public record ReportView(String id, Instant startedAt, Instant finishedAt, int panelServers, int storeServers,
                             boolean repairEnabled, boolean deleteOrphansEnabled, List<String> requests,
                             Map<String, Integer> counts, List<ItemView> items) {
    }

    @Serdeable
    public record ReportPage(List<ReportView> items, int page, int size, long total) {
    }

    @Serdeable
    public record RunRequested(String requestId, String workflowId, Map<String, String> links) {
    }

    private final ReconciliationReports reports;
    private final ReconciliationSettings settings;
    private final WorkflowClient temporal;
    private final TemporalSettings temporalSettings;
    private final PanelRegions regions;

    public ReconciliationService(ReconciliationReports reports, ReconciliationSettings settings,
                                 WorkflowClient temporal, TemporalSettings temporalSettings, PanelRegions regions) {
        this.regions = regions;
        this.reports = reports;
        this.settings = settings;
        this.temporal = temporal;
        this.temporalSettings = temporalSettings;
    }

    public ReportPage reports(int page, int size) {
        return new ReportPage(reports.newestFirst(page, size).stream().map(ReconciliationService::view).toList(),
                page, size, reports.count());
    }

    /**
     * Asks for a pass now, starting the loop if it is not running (signal-with-start: the id is fixed, so this never
     * makes a second loop). The same {@code idempotencyKey} names the same request, which a pass answers once.
     * Every region's loop is asked; the answer names the default region's run, whose report lists the request as
     * each other region's report does.
     */
    public RunRequested runNow(String idempotencyKey) {
        if (!settings.enabled()) {
            throw new ApiException(HttpStatus.CONFLICT, "RECONCILIATION_DISABLED",
                    "Reconciliation is turned off (RECONCILIATION_ENABLED=false)");
        }
        String requestId = idempotencyKey == null || idempotencyKey.isBlank()
                ? "req_" + UUID.randomUUID().toString().replace("-", "")
                : "req_" + sha256(idempotencyKey).substring(0, 32);
        for (String region : regions.names()) {
            ReconciliationWorkflow loop = temporal.newWorkflowStub(ReconciliationWorkflow.class,
                    WorkflowOptions.newBuilder().setWorkflowId(ReconciliationWorkflow.workflowId(region,
                            regions.defaultRegion())).setTaskQueue(TaskQueues.MAINTENANCE).build());
            BatchRequest request = temporal.newSignalWithStartRequest();
            request.add(loop::run, ReconciliationCarry.first(region));
            request.add(loop::runNow, requestId);
            temporal.signalWithStart(request);
        }
        return new RunRequested(requestId, ReconciliationWorkflow.WORKFLOW_ID,
                Map.of("reports", "/api/v1/admin/reconciliation/reports",
                        "run", temporalSettings.runLink(ReconciliationWorkflow.WORKFLOW_ID)));
    }

    @SuppressWarnings("unchecked")
    static ReportView view(Document doc) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Document rawCounts = doc.get("counts", Document.class);
        if (rawCounts != null) {
            rawCounts.forEach((kind, n) -> counts.put(kind, ((Number) n).intValue()));
        }
        List<ItemView> items = doc.getList("items", Document.class, List.of()).stream()
                .map(item -> new ItemView(item.getString("kind"), item.getString("externalId"),
                        item.getInteger("panelServerId"), item.getString("serverId"), item.getString("detail"),
                        item.getString("repair"), item.getBoolean("repaired", false), item.getString("error")))
                .toList();
        return new ReportView(doc.getString("_id"), doc.getDate("startedAt").toInstant(),
                doc.getDate("finishedAt").toInstant(), doc.getInteger("panelServers", 0),
                doc.getInteger("storeServers", 0), doc.getBoolean("repairEnabled", false),
                doc.getBoolean("deleteOrphansEnabled", false), doc.getList("requests", String.class, List.of()),
                counts, items);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
