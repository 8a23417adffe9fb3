package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.PaymentMethod;

/** What the store keeps about a provisioned server; upserted by {@code serverId}. */
public record ServerRecord(String serverId,
                           String orderId,
                           String customerId,
                           String planId,
                           String name,
                           String externalId,
                           int panelServerId,
                           String panelUuid,
                           String panelIdentifier,
                           int panelUserId,
                           int node,
                           BillingCycle billingCycle,
                           long renewsAtMillis,
                           PaymentMethod paymentMethod,
                           long priceCoins,
                           long priceAmountMinor,
                           String currency,
                           long createdAtMillis) {
}
