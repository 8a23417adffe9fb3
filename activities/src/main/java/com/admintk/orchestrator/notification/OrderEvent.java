package com.admintk.orchestrator.notification;

import com.admintk.orchestrator.order.CustomerReason;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The JSON sent to the store and published on Redis channel {@code orders:{orderId}}. {@code eventId} is the
 * notification key: stable across retries, so receivers deduplicate on it. {@code type} is
 * {@code order.<status lower case>}, e.g. {@code order.active}. {@code reasonCode} and {@code reason} are the
 * customer's reading ({@link CustomerReason}): the channel feeds customer dashboards, so the raw cause, with panel
 * answers and hosts, stays in the order for admins.
 */
@Serdeable
public record OrderEvent(String eventId,
                         String type,
                         String orderId,
                         String customerId,
                         String status,
                         @Nullable String reasonCode,
                         @Nullable String reason,
                         String serverId,
                         String serverName,
                         String panelIdentifier,
                         String planId,
                         long occurredAt) {

    static OrderEvent of(String notificationKey, OrderNotification n) {
        String status = n.status() == null ? "UNKNOWN" : n.status();
        CustomerReason reason = CustomerReason.of(n.reason());
        return new OrderEvent(notificationKey, "order." + status.toLowerCase(java.util.Locale.ROOT), n.orderId(),
                n.customerId(), status, reason == null ? null : reason.code(), reason == null ? null : reason.message(),
                n.serverId(), n.serverName(), n.panelIdentifier(), n.planId(), System.currentTimeMillis() / 1000);
    }
}
