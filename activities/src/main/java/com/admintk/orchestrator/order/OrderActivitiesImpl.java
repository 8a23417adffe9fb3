package com.admintk.orchestrator.order;

import com.admintk.orchestrator.server.ServerStore;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/** Thin adapter from the saga's store steps to MongoDB. */
@Singleton
public class OrderActivitiesImpl implements OrderActivities {

    private final OrderStore orders;
    private final ServerStore servers;
    private final OrderMetrics metrics;

    public OrderActivitiesImpl(OrderStore orders, ServerStore servers, OrderMetrics metrics) {
        this.orders = orders;
        this.servers = servers;
        this.metrics = metrics;
    }

    @Override
    public void markOrderStatus(String orderId, OrderStatus status, String reason, List<StepRecord> timeline) {
        // Counted only by the write that made the order terminal: a retried activity does not count twice.
        if (orders.markStatus(orderId, status, reason, timeline) && status.terminal()) {
            orders.find(orderId).ifPresent(order -> metrics.completed(status,
                    Duration.between(order.createdAt().toInstant(), order.updatedAt().toInstant()), timeline));
        }
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
