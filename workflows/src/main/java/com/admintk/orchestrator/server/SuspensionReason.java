package com.admintk.orchestrator.server;

/**
 * Why a server is suspended. Only {@link #NON_PAYMENT} is lifted by a payment: a server an operator suspended stays
 * suspended until an operator lifts it.
 */
public enum SuspensionReason {
    NON_PAYMENT,
    ADMIN,
    ABUSE
}
