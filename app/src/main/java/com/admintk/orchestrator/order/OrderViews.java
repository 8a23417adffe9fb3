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

    /**
     * A step of the saga. {@code errorCode} and {@code lastError} are the customer's reading of the step's last
     * error (see {@link CustomerReason}); {@code cause}, the raw error, only in an admin's view.
     */
    @Serdeable
    public record Step(String name, String state, int attempts, @Nullable String errorCode, @Nullable String lastError,
                       @Nullable String cause, @Nullable Instant startedAt, @Nullable Instant finishedAt,
                       @Nullable Instant compensatedAt) {

        static Step of(StepRecord step, boolean admin) {
            CustomerReason error = CustomerReason.of(step.lastError());
            return new Step(step.name(), step.state().name(), step.attempts(), error == null ? null : error.code(),
                    error == null ? null : error.message(), admin ? step.lastError() : null,
                    instant(step.startedAt()), instant(step.finishedAt()), instant(step.compensatedAt()));
        }

        private static Instant instant(Long millis) {
            return millis == null ? null : Instant.ofEpochMilli(millis);
        }
    }

    /**
     * For a card order: what the store's front end needs to confirm the payment. {@code failureReason} is the
     * provider's raw answer, in an admin's view only; customers read the order's {@code reasonCode}.
     */
    @Serdeable
    public record Payment(String method, @Nullable String status, @Nullable String providerPaymentId,
                          @Nullable String clientSecret, @Nullable String failureReason) {
    }

    /**
     * An order. {@code status}: {@code PROCESSING}, {@code WAITING_FOR_CAPACITY} (charged, the panel had no room, and
     * the customer agreed to wait), {@code COMPENSATING}, then one of the terminal {@code ACTIVE},
     * {@code FAILED}, {@code REFUNDED}, {@code CANCELLED} or {@code COMPENSATION_FAILED} (an undo gave up; operators
     * were alerted and finish it by hand).
     * {@code reasonCode} (stable UPPER_SNAKE) and {@code reason} (a fixed sentence per code) tell a customer why the
     * order did not complete; {@code cause}, the raw reason with its internals, is in an admin's view only.
     */
    @Serdeable
    public record Order(String id, String customerId, String planId, String serverName, String paymentMethod,
                        int attempt, String status, @Nullable String reasonCode, @Nullable String reason,
                        @Nullable String cause, @Nullable String currentStep,
                        @Nullable String serverId, List<Step> timeline, @Nullable Payment payment,
                        @Nullable Instant createdAt, @Nullable Instant updatedAt, Map<String, String> links) {
    }

    @Serdeable
    public record Page(List<Order> items, int page, int size, long total) {
    }
}
