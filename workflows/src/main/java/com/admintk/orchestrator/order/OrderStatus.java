package com.admintk.orchestrator.order;

public enum OrderStatus {
    /** Steps are running. */
    PROCESSING,
    /**
     * Charged, but the panel had no room for the server; the customer agreed at checkout to wait for it. Nothing is
     * held on the panel meanwhile. Woken by an operator's "capacity added" (then provisioning runs again), refunded
     * when the order's wait is over.
     */
    WAITING_FOR_CAPACITY,
    /** A step failed or the order was cancelled; undoing what was done. */
    COMPENSATING,
    /** Terminal: the server is installed, recorded and has its lifecycle. */
    ACTIVE,
    /** Terminal: nothing is charged (the payment failed, or the order was invalid before payment). */
    FAILED,
    /** Terminal: the customer was charged, provisioning failed, the server is gone and the money is back. */
    REFUNDED,
    /** Terminal: cancelled by the customer or an operator; the server is gone and any charge refunded. */
    CANCELLED,
    /**
     * Terminal: an undo (server delete, refund) kept failing for its whole retry window and the saga gave up. A
     * server may be left on the panel or a charge not given back: operators were alerted (email, audit log, metric)
     * and finish the undo by hand. Not retryable through the API: a new attempt would charge again while the first
     * charge may still be held.
     */
    COMPENSATION_FAILED;

    public boolean terminal() {
        return this == ACTIVE || this == FAILED || this == REFUNDED || this == CANCELLED
                || this == COMPENSATION_FAILED;
    }
}
