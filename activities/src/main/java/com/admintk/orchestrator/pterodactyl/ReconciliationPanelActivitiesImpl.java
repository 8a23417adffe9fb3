package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.reconciliation.Drift;
import com.admintk.orchestrator.reconciliation.PanelInventory;
import com.admintk.orchestrator.reconciliation.PanelServerState;
import com.admintk.orchestrator.reconciliation.ReconciliationPanelActivities;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Reconciliation's panel calls: one {@link PanelClient} call each, panel failures typed as {@link PanelFailures}. */
@Singleton
public class ReconciliationPanelActivitiesImpl implements ReconciliationPanelActivities {

    /** A feature limit the panel leaves null: no plan has it, so it always differs. */
    static final int UNSET = -1;

    private final PanelRegions regions;
    private final Clock clock;

    @jakarta.inject.Inject
    public ReconciliationPanelActivitiesImpl(PanelRegions regions) {
        this.regions = regions;
        this.clock = Clock.systemUTC();
    }

    /** One panel, the default region: tests that are not about regions. */
    public ReconciliationPanelActivitiesImpl(PanelClient panel) {
        this(PanelRegions.single(panel));
    }

    private PanelClient panel(String region) {
        try {
            return regions.client(region);
        } catch (PanelRegions.UnknownRegion unknown) {
            throw PterodactylActivitiesImpl.unknownRegion(unknown);
        }
    }

    @Override
    public PanelInventory listPanelServers(String region) {
        PanelClient panel = panel(region);
        long takenAt = clock.millis();
        try {
            List<PanelServerState> servers = panel.listServers().stream()
                    .map(ReconciliationPanelActivitiesImpl::state).toList();
            return new PanelInventory(takenAt, servers);
        } catch (PanelException e) {
            throw PterodactylActivitiesImpl.toFailure(e);
        }
    }

    @Override
    public void reapplySuspension(int panelServerId, String region) {
        PanelClient panel = panel(region);
        write(panelServerId, () -> panel.suspendServer(panelServerId));
    }

    @Override
    public void liftStraySuspension(int panelServerId, String region) {
        PanelClient panel = panel(region);
        write(panelServerId, () -> panel.unsuspendServer(panelServerId));
    }

    @Override
    public void reapplyPlanLimits(int panelServerId, Drift.PlanBuild build, String region) {
        PanelClient panel = panel(region);
        ServerSpec.Limits l = build.limits();
        ServerSpec.FeatureLimits f = build.featureLimits();
        write(panelServerId, () -> panel.updateBuild(panelServerId, new Panel.BuildUpdate(build.allocationId(),
                Panel.Limits.of(l.memory(), l.swap(), l.disk(), l.io(), l.cpu()),
                new Panel.FeatureLimits(f.databases(), f.allocations(), f.backups()), null, null, null)));
    }

    @Override
    public boolean deleteOrphan(int panelServerId, String region) {
        PanelClient panel = panel(region);
        try {
            write(panelServerId, () -> panel.deleteServer(panelServerId));
            return true;
        } catch (ApplicationFailure failure) {
            if (PanelFailures.NOT_FOUND.equals(failure.getType())) {
                return false;
            }
            throw failure;
        }
    }

    /**
     * A write whose daemon error says "node unreachable": reconciliation leaves that server to the next pass, and
     * never forces a delete of a server it did not sell.
     */
    private static void write(int panelServerId, Runnable call) {
        try {
            call.run();
        } catch (PanelException.Unavailable daemon) {
            if (!daemon.daemonError()) {
                throw PterodactylActivitiesImpl.toFailure(daemon);
            }
            throw ApplicationFailure.newBuilder().setType(PanelFailures.NODE_UNREACHABLE)
                    .setMessage("node of panel server " + panelServerId + " unreachable: " + daemon.getMessage())
                    .setCause(daemon).build();
        } catch (PanelException e) {
            throw PterodactylActivitiesImpl.toFailure(e);
        }
    }

    static PanelServerState state(Panel.Server s) {
        Panel.Limits l = s.limits();
        ServerSpec.Limits limits = l == null ? null : new ServerSpec.Limits(orUnset(l.memory()), orUnset(l.swap()),
                orUnset(l.disk()), orUnset(l.io()), orUnset(l.cpu()));
        Panel.FeatureLimits f = s.featureLimits();
        ServerSpec.FeatureLimits features = f == null ? null
                : new ServerSpec.FeatureLimits(f.databases(), f.allocations(), f.backups());
        return new PanelServerState(s.id(), s.externalId(), s.status(), s.suspended(), limits, features,
                s.allocation(), millis(s.createdAt()));
    }

    private static int orUnset(Integer value) {
        return value == null ? UNSET : value;
    }

    private static long millis(String panelTime) {
        if (panelTime == null) {
            return 0;
        }
        try {
            return OffsetDateTime.parse(panelTime).toInstant().toEpochMilli();
        } catch (DateTimeParseException unreadable) {
            return 0;
        }
    }
}
