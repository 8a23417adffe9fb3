package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.PaymentMethod;

/**
 * What the store keeps about a provisioned server; upserted by {@code serverId}. {@code region} is the panel it lives
 * on (null: the default region).
 */
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
                           long createdAtMillis,
                           String region) {

    /** The shape recorded before regions: the default region. */
    public ServerRecord(String serverId, String orderId, String customerId, String planId, String name,
                        String externalId, int panelServerId, String panelUuid, String panelIdentifier,
                        int panelUserId, int node, BillingCycle billingCycle, long renewsAtMillis,
                        PaymentMethod paymentMethod, long priceCoins, long priceAmountMinor, String currency,
                        long createdAtMillis) {
        this(serverId, orderId, customerId, planId, name, externalId, panelServerId, panelUuid, panelIdentifier,
                panelUserId, node, billingCycle, renewsAtMillis, paymentMethod, priceCoins, priceAmountMinor, currency,
                createdAtMillis, null);
    }
}
