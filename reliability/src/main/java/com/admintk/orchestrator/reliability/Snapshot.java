package com.admintk.orchestrator.reliability;

import java.util.List;
import java.util.Map;

/**
 * Everything the invariant checker judges, read once after the run settled: what the harness was promised (accepted
 * orders), what MongoDB holds, what the panel simulator has, what the fake Stripe charged, what Temporal says of each
 * workflow the harness knows, and the capacity reservations left in Redis. Plain data, so the checker is a pure
 * function that tests can feed with the state real components produce.
 */
public record Snapshot(List<AcceptedOrder> accepted,
                       Map<String, Order> orders,
                       Map<String, Server> servers,
                       List<PanelServer> panel,
                       List<LedgerEntry> ledger,
                       Map<String, Long> walletBalances,
                       List<CardPayment> cardPayments,
                       Map<String, Workflow> workflows,
                       List<Reservation> reservations,
                       Map<String, Limits> planLimits) {

    /** An order the API answered 202 for (the harness's own record of the promise). */
    public record AcceptedOrder(String orderId, String customerId, String paymentMethod) {
    }

    /** The stored order. */
    public record Order(String id, String customerId, String status, String paymentMethod, int attempt,
                        String serverId) {
    }

    /** The stored server record ({@code status} ACTIVE, PAST_DUE, SUSPENDED, TERMINATED or RELEASED). */
    public record Server(String id, String orderId, String status, String planId, Integer panelServerId,
                         String externalId) {
        boolean live() {
            return "ACTIVE".equals(status) || "PAST_DUE".equals(status) || "SUSPENDED".equals(status);
        }
    }

    /** A server on the panel: {@code externalId} null when it was created without one. */
    public record PanelServer(int id, String externalId, boolean suspended, String status, Limits limits) {
    }

    public record Limits(int memory, int disk, int cpu) {
    }

    /** One wallet ledger line: {@code type} DEBIT, CREDIT or VOID; {@code refundOf} the debit key a refund gives back. */
    public record LedgerEntry(String key, String customerId, String type, long coins, String refundOf) {
    }

    /** A card PaymentIntent at the provider: {@code refunded} when a refund of it succeeded. */
    public record CardPayment(String intentId, String orderId, String paymentId, String status, boolean refunded) {
    }

    /**
     * A workflow as Temporal describes it. {@code found} false: Temporal has no such workflow. For an open one,
     * {@code pendingActivities} are its activities still to finish with their attempt counts and last failure.
     */
    public record Workflow(String workflowId, boolean found, String status, List<PendingActivity> pendingActivities,
                           int pendingChildren) {
        boolean open() {
            return found && "RUNNING".equals(status);
        }
    }

    public record PendingActivity(String activityType, int attempt, String lastFailure) {
    }

    /** A live capacity reservation in Redis. */
    public record Reservation(String key, String reservationId, long expiresAtMillis, int allocation) {
    }
}
