package com.admintk.orchestrator.order;

/** {@code ApplicationFailure} types raised by the order saga itself. */
public final class OrderFailures {
    /** The order or its plan snapshot is not sellable as is. Nothing is charged. */
    public static final String ORDER_INVALID = "ORDER_INVALID";
    /** The customer's egg variables break the egg's rules. */
    public static final String EGG_VARIABLES_INVALID = "EGG_VARIABLES_INVALID";
    public static final String INSTALL_FAILED = "INSTALL_FAILED";
    public static final String INSTALL_DEADLINE = "INSTALL_DEADLINE";

    private OrderFailures() {
    }
}
