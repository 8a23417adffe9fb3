package com.admintk.orchestrator.server;

import com.admintk.orchestrator.order.BillingCycle;
import com.admintk.orchestrator.payment.PaymentMethod;

/**
 * Input of {@link ServerLifecycleWorkflow}, and what each continue-as-new carries over: the server's identity, its
 * billing terms, the next renewal and the state the signals changed.
 */
public record ServerLifecycleInput(String serverId,
                                   String orderId,
                                   String customerId,
                                   String planId,
                                   int panelServerId,
                                   String externalId,
                                   BillingCycle billingCycle,
                                   PaymentMethod paymentMethod,
                                   long priceCoins,
                                   long priceAmountMinor,
                                   String currency,
                                   long renewsAtMillis,
                                   ServerLifecycleState.Status status,
                                   String reason,
                                   int cycle) {

    ServerLifecycleInput next(long renewsAt, ServerLifecycleState.Status newStatus, String newReason) {
        return new ServerLifecycleInput(serverId, orderId, customerId, planId, panelServerId, externalId, billingCycle,
                paymentMethod, priceCoins, priceAmountMinor, currency, renewsAt, newStatus, newReason, cycle + 1);
    }
}
