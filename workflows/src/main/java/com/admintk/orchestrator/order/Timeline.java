package com.admintk.orchestrator.order;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The step timeline kept in workflow state; times come from the caller (workflow time). */
final class Timeline {

    private final Map<OrderStep, StepRecord> steps = new EnumMap<>(OrderStep.class);

    Timeline() {
        for (OrderStep step : OrderStep.values()) {
            steps.put(step, StepRecord.pending(step.id()));
        }
    }

    void start(OrderStep step, long now) {
        StepRecord r = steps.get(step);
        steps.put(step, new StepRecord(r.name(), StepState.RUNNING, r.attempts() + 1, r.lastError(), now, null, null));
    }

    void attempts(OrderStep step, int attempts, String lastError) {
        StepRecord r = steps.get(step);
        steps.put(step, new StepRecord(r.name(), r.state(), attempts, lastError == null ? r.lastError() : lastError,
                r.startedAt(), r.finishedAt(), r.compensatedAt()));
    }

    void done(OrderStep step, long now) {
        StepRecord r = steps.get(step);
        steps.put(step, new StepRecord(r.name(), StepState.DONE, r.attempts(), r.lastError(), r.startedAt(), now, null));
    }

    void failed(OrderStep step, long now, String error) {
        StepRecord r = steps.get(step);
        steps.put(step, new StepRecord(r.name(), StepState.FAILED, r.attempts(), error, r.startedAt(), now, null));
    }

    void compensated(OrderStep step, long now) {
        StepRecord r = steps.get(step);
        steps.put(step, new StepRecord(r.name(), StepState.COMPENSATED, r.attempts(), r.lastError(), r.startedAt(),
                r.finishedAt(), now));
    }

    void skipPending() {
        steps.replaceAll((step, r) -> r.state() == StepState.PENDING
                ? new StepRecord(r.name(), StepState.SKIPPED, 0, null, null, null, null) : r);
    }

    StepState state(OrderStep step) {
        return steps.get(step).state();
    }

    /** Optional steps the order never took are left out, so timelines read as they did before those steps existed. */
    List<StepRecord> snapshot() {
        List<StepRecord> out = new ArrayList<>();
        steps.forEach((step, record) -> {
            if (!step.optional() || record.startedAt() != null) {
                out.add(record);
            }
        });
        return out;
    }
}
