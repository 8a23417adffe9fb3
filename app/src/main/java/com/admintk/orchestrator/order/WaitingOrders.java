package com.admintk.orchestrator.order;

import com.admintk.orchestrator.config.ServesApi;
import com.admintk.orchestrator.plan.Plan;
import com.admintk.orchestrator.plan.PlanCatalog;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.serde.annotation.Serdeable;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Orders in {@code WAITING_FOR_CAPACITY}: paid, refused by the panel for want of room, waiting (with the customer's
 * consent) until capacity is added or their deadline passes. They are found in the store, which their sagas keep up
 * to date, not in Temporal's visibility (the local test server cannot list by query).
 *
 * <p>Metric: {@code orders_waiting_for_capacity}, the number of them in the store (0 when there are none; every API
 * process reports the same figure, so dashboards take the max).
 */
@Singleton
@Requires(condition = ServesApi.class)
public class WaitingOrders {

    private static final Logger LOG = LoggerFactory.getLogger(WaitingOrders.class);

    private final OrderStore orders;
    private final PlanCatalog plans;
    private final WorkflowClient temporal;
    private final MeterRegistry metrics;

    public WaitingOrders(OrderStore orders, PlanCatalog plans, WorkflowClient temporal, MeterRegistry metrics) {
        this.orders = orders;
        this.plans = plans;
        this.temporal = temporal;
        this.metrics = metrics;
    }

    /** Registered at start, so the series exists (at 0) before the first order ever waits. */
    @EventListener
    void onStartup(StartupEvent event) {
        Gauge.builder("orders.waiting.for.capacity", this, WaitingOrders::countOrNaN)
                .description("Paid orders waiting for capacity (the panel had no room for their server)")
                .register(metrics);
    }

    /** What an operator's "capacity added" did: the orders it woke. */
    @Serdeable
    public record Woken(List<String> orderIds) {
    }

    /**
     * Wakes every waiting order, or those of one plan and/or one location (of the plan's locations): each tries to
     * place its server again and waits again if there is still no room.
     */
    public Woken capacityAdded(String planId, Integer locationId) {
        List<String> woken = new ArrayList<>();
        for (OrderDocument order : orders.withStatus(OrderStatus.WAITING_FOR_CAPACITY, planId)) {
            if (locationId != null && !soldIn(order.planId(), locationId)) {
                continue;
            }
            try {
                temporal.newWorkflowStub(OrderProvisioningWorkflow.class, OrderIds.workflowId(order.id()))
                        .capacityAdded();
                woken.add(order.id());
            } catch (WorkflowNotFoundException closed) {
                // Its run ended meanwhile (deadline, cancel); the store catches up with its last write.
                LOG.info("Order {} no longer waits: not signalled", order.id());
            }
        }
        LOG.info("Capacity added (plan {}, location {}): {} waiting order(s) woken", planId, locationId, woken.size());
        return new Woken(List.copyOf(woken));
    }

    private boolean soldIn(String planId, int locationId) {
        Optional<Plan> plan = plans.find(planId);
        return plan.isEmpty() || plan.get().locationIds().contains(locationId);
    }

    private double countOrNaN() {
        try {
            return orders.count(null, OrderStatus.WAITING_FOR_CAPACITY.name());
        } catch (RuntimeException storeDown) {
            return Double.NaN;
        }
    }
}
