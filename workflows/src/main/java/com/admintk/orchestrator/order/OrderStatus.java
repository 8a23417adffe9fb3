package com.admintk.orchestrator.order;

public enum OrderStatus {
    /** Steps are running. */
    PROCESSING,
    /** A step failed or the order was cancelled; undoing what was done. */
    COMPENSATING,
    /** Terminal: the server is installed, recorded and has its lifecycle. */
    ACTIVE,
    /** Terminal: nothing is charged (the payment failed, or the order was invalid before payment). */
    FAILED,
    /** Terminal: the customer was charged, provisioning failed, the server is gone and the money is back. */
    REFUNDED,
    /** Terminal: cancelled by the customer or an operator; the server is gone and any charge refunded. */
    CANCELLED;

    public boolean terminal() {
        return this == ACTIVE || this == FAILED || this == REFUNDED || this == CANCELLED;
    }
}
