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
 * {@code order_provisioning_duration_seconds} histogram (checkout to terminal state), and
 * {@code orders_compensation_failed_total{saga}}: orders whose undo gave up (also counted as the
 * {@code COMPENSATION_FAILED} outcome). The Grafana dashboard and the alerts in deployment/ read these names.
 */
@Singleton
public class OrderMetrics {

    static final String SAGA = "order";

    private final MeterRegistry registry;
    private final Counter compensationFailed;

    public OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered at 0 from the start: increase() cannot see a series whose first sample is already 1, and the
        // OrderCompensationFailed alert must fire on the very first one.
        this.compensationFailed = Counter.builder("orders.compensation.failed")
                .description("Orders whose compensation (server delete, refund) gave up; operators must finish it")
                .tag("saga", SAGA).register(registry);
        // The same for the steps an order can undo (refund, server delete, record forgotten): the compensation
        // spike alert must count the first compensation of a process's life.
        for (OrderStep undoable : List.of(OrderStep.CHARGE, OrderStep.CREATE_SERVER, OrderStep.RECORD_SERVER)) {
            compensations(undoable.id());
        }
    }

    private Counter compensations(String step) {
        return Counter.builder("saga.compensations").description("Saga steps undone by compensation")
                .tag("saga", SAGA).tag("step", step).register(registry);
    }

    void completed(OrderStatus outcome, Duration took, List<StepRecord> timeline) {
        Counter.builder("orders.completed").description("Orders that reached a terminal state")
                .tag("outcome", outcome.name()).register(registry).increment();
        Timer.builder("order.provisioning.duration").description("From checkout to the order's terminal state")
                .tag("outcome", outcome.name()).publishPercentileHistogram()
                .register(registry).record(took);
        if (outcome == OrderStatus.COMPENSATION_FAILED) {
            compensationFailed.increment();
        }
        if (timeline != null) {
            timeline.stream().filter(step -> step.state() == StepState.COMPENSATED)
                    .forEach(step -> compensations(step.name()).increment());
        }
    }
}
