package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.order.OrderActivities;
import com.admintk.orchestrator.order.OrderStatus;
import com.admintk.orchestrator.order.ServerRecord;
import com.admintk.orchestrator.order.StepRecord;
import com.admintk.orchestrator.server.ServerActivities;
import com.admintk.orchestrator.server.ServerPlanChange;
import com.admintk.orchestrator.server.ServerStatusUpdate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class FakeStore implements OrderActivities, ServerActivities {

    public record StatusWrite(String orderId, OrderStatus status, String reason, List<StepRecord> timeline) {
    }

    private final Journal journal;
    private final List<StatusWrite> statusWrites = new ArrayList<>();
    private final Map<String, ServerRecord> servers = new HashMap<>();
    private final Map<String, ServerStatusUpdate> serverStatus = new HashMap<>();
    private final Map<String, ServerPlanChange> serverPlans = new HashMap<>();

    /** The store refuses server records (a broken document, say): the order fails after its server is made. */
    public volatile boolean refuseServerRecords;

    public FakeStore(Journal journal) {
        this.journal = journal;
    }

    @Override
    public synchronized void markOrderStatus(String orderId, OrderStatus status, String reason, List<StepRecord> timeline) {
        journal.add("store.markOrderStatus:" + status);
        statusWrites.add(new StatusWrite(orderId, status, reason, timeline));
    }

    @Override
    public synchronized void recordServer(ServerRecord server) {
        journal.add("store.recordServer:" + server.serverId());
        if (refuseServerRecords) {
            throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure("record refused", "StoreRefused");
        }
        servers.put(server.serverId(), server);
    }

    @Override
    public synchronized void forgetServer(String serverId, String reason) {
        journal.add("store.forgetServer:" + serverId);
        servers.remove(serverId);
    }

    public synchronized List<StatusWrite> statusWrites() {
        return List.copyOf(statusWrites);
    }

    public synchronized Map<String, ServerRecord> servers() {
        return Map.copyOf(servers);
    }

    @Override
    public synchronized void markServerStatus(String serverId, ServerStatusUpdate update) {
        journal.add("store.markServerStatus:" + update.status());
        serverStatus.put(serverId, update);
    }

    public synchronized ServerStatusUpdate serverStatus(String serverId) {
        return serverStatus.get(serverId);
    }

    @Override
    public synchronized void changeServerPlan(String serverId, ServerPlanChange change) {
        journal.add("store.changeServerPlan:" + change.planId());
        serverPlans.put(serverId, change);
    }

    public synchronized ServerPlanChange serverPlan(String serverId) {
        return serverPlans.get(serverId);
    }
}
