package com.admintk.orchestrator.order;

/** Business ids derived from the order id, so every retry and every replay names the same things. */
public final class OrderIds {

    private OrderIds() {
    }

    public static String workflowId(String orderId) {
        return "order:" + orderId;
    }

    /** external_id of the order's server on the panel (≤ 191 chars; order ids are short). */
    public static String externalId(String orderId) {
        return "order:" + orderId;
    }

    /** One order makes at most one server, so the server's business id follows from the order. */
    public static String serverId(String orderId) {
        return "srv-" + orderId;
    }
}
