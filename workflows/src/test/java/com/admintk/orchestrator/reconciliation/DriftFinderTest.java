package com.admintk.orchestrator.reconciliation;

import com.admintk.orchestrator.pterodactyl.ServerSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftFinderTest {

    static final long NOW = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final ServerSpec.Limits LIMITS = new ServerSpec.Limits(4096, 0, 20480, 500, 200);
    static final ServerSpec.FeatureLimits FEATURES = new ServerSpec.FeatureLimits(2, 1, 3);
    static final ReconciliationPolicy REPAIR = new ReconciliationPolicy(true, 600, true, false, 86_400, 1_800);

    static PanelServerState panel(int id, String externalId, String status) {
        return new PanelServerState(id, externalId, status, "suspended".equals(status), LIMITS, FEATURES, 100 + id,
                NOW - 48 * HOUR);
    }

    static StoreServerState record(String serverId, String externalId, String status) {
        return new StoreServerState(serverId, externalId, status, null, "paper-4g", NOW - 47 * HOUR, LIMITS, FEATURES);
    }

    static List<Drift> find(List<PanelServerState> panel, List<StoreServerState> store, ReconciliationPolicy policy) {
        return DriftFinder.find(new PanelInventory(NOW - 1000, panel), new StoreInventory(store, List.of()), policy, NOW);
    }

    @Test
    void aPanelThatMatchesTheStoreHasNoDrift() {
        List<Drift> drifts = find(
                List.of(panel(1, "order:a", null), panel(2, "order:b", "suspended"), panel(3, "order:c", null)),
                List.of(record("srv-a", "order:a", "ACTIVE"), record("srv-b", "order:b", "SUSPENDED"),
                        record("srv-c", "order:c", "PAST_DUE"), record("srv-d", "order:d", "TERMINATED"),
                        record("srv-e", "order:e", "RELEASED")),
                REPAIR);
        assertEquals(List.of(), drifts);
    }

    @Test
    void aServerWithNoOrderIsAnOrphanAndIsKeptWhileDeletionIsOff() {
        Drift drift = single(find(List.of(panel(7, "order:ghost", null)), List.of(), REPAIR));
        assertEquals(DriftKind.ORPHAN, drift.kind());
        assertEquals(7, drift.panelServerId());
        assertNull(drift.serverId());
        assertEquals(Drift.Repair.NONE, drift.repair());
    }

    @Test
    void aServerTerminatedInTheStoreButOnThePanelIsAnOrphanToo() {
        Drift drift = single(find(List.of(panel(7, "order:t", null)), List.of(record("srv-t", "order:t", "TERMINATED")),
                REPAIR));
        assertEquals(DriftKind.ORPHAN, drift.kind());
        assertEquals("srv-t", drift.serverId());
        assertTrue(drift.detail().contains("TERMINATED"), drift.detail());
    }

    @Test
    void orphansAreDeletedOnlyWhenEnabledAndOlderThanTheSafetyAge() {
        ReconciliationPolicy delete = new ReconciliationPolicy(true, 600, true, true, 24 * 3600, 1_800);
        PanelServerState old = panel(1, "order:old", null);
        PanelServerState young = new PanelServerState(2, "order:young", null, false, LIMITS, FEATURES, 102, NOW - HOUR);
        List<Drift> drifts = find(List.of(old, young), List.of(), delete);
        assertEquals(List.of(Drift.Repair.DELETE_ORPHAN, Drift.Repair.NONE), drifts.stream().map(Drift::repair).toList());
    }

    @Test
    void aServerOfAnOrderStillProvisioningIsNoOrphan() {
        List<Drift> drifts = DriftFinder.find(new PanelInventory(NOW, List.of(panel(1, "order:new", null))),
                new StoreInventory(List.of(), List.of("order:new")), REPAIR, NOW);
        assertEquals(List.of(), drifts);
    }

    @Test
    void aLiveRecordWithoutAPanelServerIsMissingUnlessRecordedAfterThePanelWasListed() {
        StoreServerState late = new StoreServerState("srv-late", "order:late", "ACTIVE", null, "paper-4g", NOW, LIMITS,
                FEATURES);
        Drift drift = single(find(List.of(), List.of(record("srv-gone", "order:gone", "ACTIVE"), late), REPAIR));
        assertEquals(DriftKind.MISSING_FROM_PANEL, drift.kind());
        assertEquals("srv-gone", drift.serverId());
        assertNull(drift.panelServerId());
        assertEquals(Drift.Repair.NONE, drift.repair());
    }

    @Test
    void suspensionFollowsTheStore() {
        List<Drift> drifts = find(List.of(panel(1, "order:a", null), panel(2, "order:b", "suspended"),
                        panel(3, "order:c", "suspended")),
                List.of(record("srv-a", "order:a", "SUSPENDED"), record("srv-b", "order:b", "ACTIVE"),
                        record("srv-c", "order:c", "PAST_DUE")), REPAIR);
        assertEquals(List.of(DriftKind.SUSPENSION_MISMATCH, DriftKind.SUSPENSION_MISMATCH, DriftKind.SUSPENSION_MISMATCH),
                drifts.stream().map(Drift::kind).toList());
        assertEquals(List.of(Drift.Repair.SUSPEND, Drift.Repair.UNSUSPEND, Drift.Repair.UNSUSPEND),
                drifts.stream().map(Drift::repair).toList());
    }

    @Test
    void withoutRepairDriftIsOnlyReported() {
        ReconciliationPolicy reportOnly = new ReconciliationPolicy(true, 600, false, false, 0, 1_800);
        PanelServerState shrunk = new PanelServerState(1, "order:a", "suspended", true,
                new ServerSpec.Limits(2048, 0, 20480, 500, 200), FEATURES, 101, NOW - 48 * HOUR);
        List<Drift> drifts = find(List.of(shrunk), List.of(record("srv-a", "order:a", "ACTIVE")), reportOnly);
        assertEquals(2, drifts.size());
        assertTrue(drifts.stream().allMatch(d -> d.repair() == Drift.Repair.NONE), drifts.toString());
    }

    @Test
    void eachLimitAndFeatureLimitIsComparedWithThePlan() {
        List<PanelServerState> panels = List.of(
                withLimits(1, new ServerSpec.Limits(1, 0, 20480, 500, 200), FEATURES),
                withLimits(2, new ServerSpec.Limits(4096, 1, 20480, 500, 200), FEATURES),
                withLimits(3, new ServerSpec.Limits(4096, 0, 1, 500, 200), FEATURES),
                withLimits(4, new ServerSpec.Limits(4096, 0, 20480, 10, 200), FEATURES),
                withLimits(5, new ServerSpec.Limits(4096, 0, 20480, 500, 1), FEATURES),
                withLimits(6, LIMITS, new ServerSpec.FeatureLimits(0, 1, 3)),
                withLimits(7, LIMITS, new ServerSpec.FeatureLimits(2, 0, 3)),
                withLimits(8, LIMITS, new ServerSpec.FeatureLimits(2, 1, 0)));
        List<StoreServerState> records = panels.stream()
                .map(p -> record("srv-" + p.panelServerId(), p.externalId(), "ACTIVE")).toList();
        List<Drift> drifts = find(panels, records, REPAIR);
        assertEquals(8, drifts.size(), drifts.toString());
        List<String> fields = List.of("memory", "swap", "disk", "io", "cpu", "databases", "allocations", "backups");
        for (int i = 0; i < 8; i++) {
            Drift drift = drifts.get(i);
            assertEquals(DriftKind.LIMIT_MISMATCH, drift.kind());
            assertEquals(Drift.Repair.APPLY_PLAN_LIMITS, drift.repair());
            assertTrue(drift.detail().contains(fields.get(i) + " "), drift.detail());
            assertEquals(new Drift.PlanBuild(100 + i + 1, LIMITS, FEATURES), drift.build(), "keeps the allocation");
        }
    }

    @Test
    void aPlanTheStoreDoesNotKnowIsNotCompared() {
        StoreServerState unknownPlan = new StoreServerState("srv-1", "order:1", "ACTIVE", null, "gone", NOW - HOUR,
                null, null);
        assertEquals(List.of(), find(List.of(withLimits(1, new ServerSpec.Limits(1, 1, 1, 10, 1), FEATURES)),
                List.of(unknownPlan), REPAIR));
    }

    @Test
    void anInstallPastTheLimitIsStuckAndItsSuspensionIsLeftAlone() {
        PanelServerState stuck = new PanelServerState(1, "order:a", "installing", false, LIMITS, FEATURES, 101,
                NOW - HOUR);
        PanelServerState fresh = new PanelServerState(2, "order:b", "installing", false, LIMITS, FEATURES, 102,
                NOW - 60_000);
        List<Drift> drifts = find(List.of(stuck, fresh),
                List.of(record("srv-a", "order:a", "SUSPENDED"), record("srv-b", "order:b", "ACTIVE")), REPAIR);
        Drift drift = single(drifts);
        assertEquals(DriftKind.STUCK_INSTALLING, drift.kind());
        assertEquals("srv-a", drift.serverId());
        assertEquals(Drift.Repair.NONE, drift.repair());
    }

    private static PanelServerState withLimits(int id, ServerSpec.Limits limits, ServerSpec.FeatureLimits features) {
        return new PanelServerState(id, "order:" + id, null, false, limits, features, 100 + id, NOW - 48 * HOUR);
    }

    private static Drift single(List<Drift> drifts) {
        assertEquals(1, drifts.size(), drifts.toString());
        return drifts.get(0);
    }
}
