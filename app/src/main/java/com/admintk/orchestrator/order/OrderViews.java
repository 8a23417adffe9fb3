package com.admintk.orchestrator.order;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the orders API answers. */
public final class OrderViews {

    private OrderViews() {
    }

    @Serdeable
    public record Accepted(String orderId, String status, Map<String, String> links) {
    }

    @Serdeable
    public record Step(String name, String state, int attempts, @Nullable String lastError,
                       @Nullable Instant startedAt, @Nullable Instant finishedAt, @Nullable Instant compensatedAt) {

        static Step of(StepRecord step) {
            return new Step(step.name(), step.state().name(), step.attempts(), step.lastError(), instant(step.startedAt()),
                    instant(step.finishedAt()), instant(step.compensatedAt()));
        }

        private static Instant instant(Long millis) {
            return millis == null ? null : Instant.ofEpochMilli(millis);
        }
    }

    /** For a card order: what the store's front end needs to confirm the payment. */
    @Serdeable
    public record Payment(String method, @Nullable String status, @Nullable String providerPaymentId,
                          @Nullable String clientSecret, @Nullable String failureReason) {
    }

    /**
     * An order. {@code status}: {@code PROCESSING}, {@code COMPENSATING}, then one of the terminal {@code ACTIVE},
     * {@code FAILED}, {@code REFUNDED}, {@code CANCELLED} or {@code COMPENSATION_FAILED} (an undo gave up; operators
     * were alerted and finish it by hand).
     */
    @Serdeable
    public record Order(String id, String customerId, String planId, String serverName, String paymentMethod,
                        int attempt, String status, @Nullable String reason, @Nullable String currentStep,
                        @Nullable String serverId, List<Step> timeline, @Nullable Payment payment,
                        @Nullable Instant createdAt, @Nullable Instant updatedAt, Map<String, String> links) {
    }

    @Serdeable
    public record Page(List<Order> items, int page, int size, long total) {
    }
}
