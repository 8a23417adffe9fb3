package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.pterodactyl.ServerSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares the panel with the store and says what differs and what may be repaired. Pure and deterministic (no
 * clock of its own, ordered output), so the workflow can run it and a unit test can pin every case.
 */
public final class DriftFinder {

    private DriftFinder() {
    }

    /**
     * @param nowMillis the workflow's time: ages (orphan safety, stuck installs) are measured against it
     */
    public static List<Drift> find(PanelInventory panel, StoreInventory store, ReconciliationPolicy policy,
                                   long nowMillis) {
        Map<String, StoreServerState> live = new HashMap<>();
        Map<String, StoreServerState> ended = new HashMap<>();
        for (StoreServerState record : store.servers()) {
            if (record.externalId() == null) {
                continue;
            }
            (record.live() ? live : ended).putIfAbsent(record.externalId(), record);
        }
        Set<String> provisioning = new HashSet<>(store.provisioningExternalIds());

        List<Drift> drifts = new ArrayList<>();
        Set<String> onPanel = new HashSet<>();
        List<PanelServerState> servers = new ArrayList<>(panel.servers());
        servers.sort(Comparator.comparingInt(PanelServerState::panelServerId));
        for (PanelServerState server : servers) {
            if (server.externalId() != null) {
                onPanel.add(server.externalId());
            }
            long ageSeconds = server.createdAtMillis() <= 0 ? 0 : (nowMillis - server.createdAtMillis()) / 1000;
            if (server.installing() && server.createdAtMillis() > 0 && ageSeconds >= policy.installingStuckAfterSeconds()) {
                drifts.add(new Drift(DriftKind.STUCK_INSTALLING, server.externalId(), server.panelServerId(),
                        serverIdOf(live, ended, server.externalId()), "installing for " + ageSeconds + "s",
                        Drift.Repair.NONE, null));
            }
            StoreServerState record = server.externalId() == null ? null : live.get(server.externalId());
            if (record == null) {
                if (server.externalId() == null || !provisioning.contains(server.externalId())) {
                    drifts.add(orphan(server, ended.get(server.externalId()), ageSeconds, policy));
                }
                continue;
            }
            // An install (or reinstall) in progress is not suspended on the panel whatever the store says; the
            // panel refuses nothing, but a suspend would cut the install short.
            boolean shouldBeSuspended = StoreServerState.SUSPENDED.equals(record.status());
            if (!server.installing() && shouldBeSuspended != server.suspended()) {
                drifts.add(new Drift(DriftKind.SUSPENSION_MISMATCH, server.externalId(), server.panelServerId(),
                        record.serverId(), "store " + record.status() + ", panel "
                        + (server.suspended() ? "suspended" : "not suspended"),
                        !policy.repair() ? Drift.Repair.NONE : shouldBeSuspended ? Drift.Repair.SUSPEND : Drift.Repair.UNSUSPEND,
                        null));
            }
            List<String> differences = limitDifferences(server, record);
            if (!differences.isEmpty()) {
                drifts.add(new Drift(DriftKind.LIMIT_MISMATCH, server.externalId(), server.panelServerId(),
                        record.serverId(), "plan " + record.planId() + ": " + String.join(", ", differences),
                        policy.repair() ? Drift.Repair.APPLY_PLAN_LIMITS : Drift.Repair.NONE,
                        new Drift.PlanBuild(server.allocationId(), record.planLimits(), record.planFeatureLimits())));
            }
        }

        List<StoreServerState> records = new ArrayList<>(live.values());
        records.sort(Comparator.comparing(StoreServerState::externalId));
        for (StoreServerState record : records) {
            // A record written after the panel was listed names a server the list could not have seen yet.
            if (!onPanel.contains(record.externalId()) && record.createdAtMillis() <= panel.takenAtMillis()) {
                drifts.add(new Drift(DriftKind.MISSING_FROM_PANEL, record.externalId(), null, record.serverId(),
                        "store " + record.status() + ", no panel server has this external_id", Drift.Repair.NONE, null));
            }
        }
        return drifts;
    }

    private static Drift orphan(PanelServerState server, StoreServerState ended, long ageSeconds,
                                ReconciliationPolicy policy) {
        String detail = (ended == null ? "no order has this external_id" : "store " + ended.status())
                + ", " + ageSeconds + "s old";
        boolean delete = policy.deleteOrphans() && server.createdAtMillis() > 0
                && ageSeconds >= policy.orphanSafetyAgeSeconds();
        return new Drift(DriftKind.ORPHAN, server.externalId(), server.panelServerId(),
                ended == null ? null : ended.serverId(), detail, delete ? Drift.Repair.DELETE_ORPHAN : Drift.Repair.NONE,
                null);
    }

    /** "memory 2048 (plan 4096)" per differing field; empty when equal or the plan is unknown. */
    static List<String> limitDifferences(PanelServerState server, StoreServerState record) {
        List<String> out = new ArrayList<>();
        ServerSpec.Limits plan = record.planLimits();
        ServerSpec.Limits panel = server.limits();
        if (plan != null) {
            compare(out, "memory", panel == null ? null : panel.memory(), plan.memory());
            compare(out, "swap", panel == null ? null : panel.swap(), plan.swap());
            compare(out, "disk", panel == null ? null : panel.disk(), plan.disk());
            compare(out, "io", panel == null ? null : panel.io(), plan.io());
            compare(out, "cpu", panel == null ? null : panel.cpu(), plan.cpu());
        }
        ServerSpec.FeatureLimits planFeatures = record.planFeatureLimits();
        ServerSpec.FeatureLimits panelFeatures = server.featureLimits();
        if (planFeatures != null) {
            compare(out, "databases", panelFeatures == null ? null : panelFeatures.databases(), planFeatures.databases());
            compare(out, "allocations", panelFeatures == null ? null : panelFeatures.allocations(), planFeatures.allocations());
            compare(out, "backups", panelFeatures == null ? null : panelFeatures.backups(), planFeatures.backups());
        }
        return out;
    }

    private static void compare(List<String> out, String field, Integer panel, int plan) {
        if (!Objects.equals(panel, plan)) {
            out.add(field + " " + panel + " (plan " + plan + ")");
        }
    }

    private static String serverIdOf(Map<String, StoreServerState> live, Map<String, StoreServerState> ended,
                                     String externalId) {
        StoreServerState record = externalId == null ? null : live.getOrDefault(externalId, ended.get(externalId));
        return record == null ? null : record.serverId();
    }
}
