package com.admintk.orchestrator.order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/**
 * Business metrics of the provisioning saga, recorded once per order when it reaches a terminal state:
 * {@code orders_completed_total{outcome}}, {@code saga_compensations_total{saga,step}} and the
 * {@code order_provisioning_duration_seconds} histogram (checkout to terminal state). The Grafana dashboard and the
 * failed-saga alerts in deployment/ read these names.
 */
@Singleton
public class OrderMetrics {

    static final String SAGA = "order";

    private final MeterRegistry registry;

    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void completed(OrderStatus outcome, Duration took, List<StepRecord> timeline) {
        Counter.builder("orders.completed").description("Orders that reached a terminal state")
                .tag("outcome", outcome.name()).register(registry).increment();
        Timer.builder("order.provisioning.duration").description("From checkout to the order's terminal state")
                .tag("outcome", outcome.name()).publishPercentileHistogram()
                .register(registry).record(took);
        if (timeline != null) {
            timeline.stream().filter(step -> step.state() == StepState.COMPENSATED).forEach(step ->
                    Counter.builder("saga.compensations").description("Saga steps undone by compensation")
                            .tag("saga", SAGA).tag("step", step.name()).register(registry).increment());
        }
    }
}
