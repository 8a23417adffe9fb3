package com.admintk.orchestrator.order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class OrderMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OrderMetrics metrics = new OrderMetrics(registry);

    private double compensationFailed() {
        Counter counter = registry.find("orders.compensation.failed").tag("saga", "order").counter();
        assertNotNull(counter, "registered from the start");
        return counter.count();
    }

    @Test
    void theCompensationFailedCounterExistsAtZeroSoTheFirstOneIsSeenByIncrease() {
        assertEquals(0.0, compensationFailed());
    }

    @Test
    void anOrderWhoseUndoGaveUpIsCountedAsItsOwnOutcomeAndByTheDedicatedCounter() {
        metrics.completed(OrderStatus.REFUNDED, Duration.ofMinutes(2), List.of());
        metrics.completed(OrderStatus.COMPENSATION_FAILED, Duration.ofHours(25), List.of());

        assertEquals(1.0, compensationFailed());
        assertEquals(1.0, registry.find("orders.completed").tag("outcome", "COMPENSATION_FAILED").counter().count());
        assertEquals(1.0, registry.find("orders.completed").tag("outcome", "REFUNDED").counter().count());
    }
}
