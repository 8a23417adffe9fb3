package com.admintk.orchestrator.notification;

import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON sent to the store and published on Redis channel {@code orders:{orderId}}. {@code eventId} is the
 * notification key: stable across retries, so receivers deduplicate on it. {@code type} is
 * {@code order.<status lower case>}, e.g. {@code order.active}.
 */
@Serdeable
public record OrderEvent(String eventId,
                         String type,
                         String orderId,
                         String customerId,
                         String status,
                         String reason,
                         String serverId,
                         String serverName,
                         String panelIdentifier,
                         String planId,
                         long occurredAt) {

    static OrderEvent of(String notificationKey, OrderNotification n) {
        String status = n.status() == null ? "UNKNOWN" : n.status();
        return new OrderEvent(notificationKey, "order." + status.toLowerCase(java.util.Locale.ROOT), n.orderId(),
                n.customerId(), status, n.reason(), n.serverId(), n.serverName(), n.panelIdentifier(), n.planId(),
                System.currentTimeMillis() / 1000);
    }
}
