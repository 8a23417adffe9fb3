package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.order.OrderIds;
import com.admintk.orchestrator.order.OrderStore;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import com.admintk.orchestrator.pterodactyl.PanelRegionDefaults;
import com.admintk.orchestrator.server.ServerStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import org.bson.Document;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store side of reconciliation: server records with their plan's limits, the reports, and the metrics
 * {@code reconciliation_drift_total{kind}} and {@code reconciliation_repairs_total{kind,outcome}}.
 */
@Singleton
public class ReconciliationActivitiesImpl implements ReconciliationActivities {

    private final ReconciliationSettings settings;
    private final ServerStore servers;
    private final OrderStore orders;
    private final PlanCatalog plans;
    private final ReconciliationReports reports;
    private final MeterRegistry registry;
    private final String defaultRegion;

    public ReconciliationActivitiesImpl(ReconciliationSettings settings, ServerStore servers, OrderStore orders,
                                        PlanCatalog plans, ReconciliationReports reports, MeterRegistry registry,
                                        PanelRegionDefaults regions) {
        this.defaultRegion = regions.region();
        this.settings = settings;
        this.servers = servers;
        this.orders = orders;
        this.plans = plans;
        this.reports = reports;
        this.registry = registry;
        // Every kind registered at 0, so increase() sees the first drift of a kind and dashboards show all kinds.
        for (DriftKind kind : DriftKind.values()) {
            drift(kind);
        }
    }

    @Override
    public ReconciliationPolicy reconciliationPolicy() {
        return settings.policy();
    }

    @Override
    public StoreInventory listStoreServers(String region) {
        String wanted = region == null || region.isBlank() ? defaultRegion : region;
        Map<String, Optional<Plan>> planCache = new HashMap<>();
        List<StoreServerState> records = new ArrayList<>();
        for (Document doc : servers.list(null)) {
            // Records from before regions have none: they are the default region's.
            String recorded = doc.getString("region");
            if (!wanted.equals(recorded == null || recorded.isBlank() ? defaultRegion : recorded)) {
                continue;
            }
            String planId = doc.getString("planId");
            Optional<Plan> plan = planId == null ? Optional.empty() : planCache.computeIfAbsent(planId, plans::find);
            Date created = doc.getDate("createdAt");
            records.add(new StoreServerState(doc.getString("_id"), doc.getString("externalId"), doc.getString("status"),
                    doc.getString("suspension"), planId, created == null ? 0 : created.getTime(),
                    plan.map(Plan::limits).orElse(null), plan.map(Plan::featureLimits).orElse(null)));
        }
        List<String> provisioning = orders.inFlightOrderIds().stream().map(OrderIds::externalId).toList();
        return new StoreInventory(records, provisioning);
    }

    @Override
    public void saveReconciliationReport(ReconciliationReport report) {
        boolean first = reports.save(report);
        reports.trim(settings.keepReports());
        if (!first) {
            return;
        }
        report.counts().forEach((kind, n) -> drift(kind).increment(n));
        for (ReconciliationReport.Item item : report.items()) {
            if (item.repair() != Drift.Repair.NONE) {
                Counter.builder("reconciliation.repairs").description("Repairs of drift made (or tried) by reconciliation")
                        .tag("kind", item.kind().name()).tag("outcome", item.repaired() ? "repaired" : "failed")
                        .register(registry).increment();
            }
        }
    }

    private Counter drift(DriftKind kind) {
        return Counter.builder("reconciliation.drift").description("Drift between the panel and the store, per pass")
                .tag("kind", kind.name()).register(registry);
    }
}
