package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.PaymentMethod;

import java.util.Map;

/**
 * Input of {@link OrderProvisioningWorkflow}. {@code attempt} starts at 1; an operator's retry of a failed order
 * starts a new run with the next attempt, so it gets a fresh payment id. {@code options} may be null (defaults).
 */
public record OrderRequest(String orderId,
                           int attempt,
                           Customer customer,
                           PlanSnapshot plan,
                           String serverName,
                           Map<String, String> eggVariables,
                           PaymentMethod paymentMethod,
                           OrderOptions options) {

    /** The panel's external_id of this order's server. */
    public String externalId() {
        return OrderIds.externalId(orderId);
    }
}
