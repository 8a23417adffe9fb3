package com.admintk.orchestrator.order;

import com.admintk.orchestrator.server.ServerStore;
import jakarta.inject.Singleton;

import java.util.List;

/** Thin adapter from the saga's store steps to MongoDB. */
@Singleton
public class OrderActivitiesImpl implements OrderActivities {

    private final OrderStore orders;
    private final ServerStore servers;

    public OrderActivitiesImpl(OrderStore orders, ServerStore servers) {
        this.orders = orders;
        this.servers = servers;
    }

    @Override
    public void markOrderStatus(String orderId, OrderStatus status, String reason, List<StepRecord> timeline) {
        orders.markStatus(orderId, status, reason, timeline);
    }

    @Override
    public void recordServer(ServerRecord server) {
        servers.record(server);
        orders.setServer(server.orderId(), server.serverId());
    }

    @Override
    public void forgetServer(String serverId, String reason) {
        servers.release(serverId, reason);
    }
}
