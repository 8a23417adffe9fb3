package com.admintk.orchestrator.common;

import io.temporal.common.SearchAttributeKey;

import java.util.List;

/** Search attributes set on every run so an operator can find it in the Temporal Web UI. */
public final class SearchAttributes {
    public static final SearchAttributeKey<String> ORDER_ID = SearchAttributeKey.forKeyword("OrderId");
    public static final SearchAttributeKey<String> CUSTOMER_ID = SearchAttributeKey.forKeyword("CustomerId");
    public static final SearchAttributeKey<String> SERVER_ID = SearchAttributeKey.forKeyword("ServerId");
    public static final SearchAttributeKey<String> SAGA_STEP = SearchAttributeKey.forKeyword("SagaStep");
    /**
     * The order's business status ({@code OrderStatus} names). The Web UI shows a refunded and a delivered order
     * both as "Completed"; this lets an operator filter the failed ones, e.g. {@code OrderStatus="REFUNDED"}.
     */
    public static final SearchAttributeKey<String> ORDER_STATUS = SearchAttributeKey.forKeyword("OrderStatus");

    public static final List<SearchAttributeKey<String>> ALL =
            List.of(ORDER_ID, CUSTOMER_ID, SERVER_ID, SAGA_STEP, ORDER_STATUS);

    private SearchAttributes() {
    }
}
