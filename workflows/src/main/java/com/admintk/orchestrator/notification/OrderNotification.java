package com.admintk.orchestrator.notification;

/**
 * What the customer, the store and WebSocket subscribers are told about an order. {@code status} is the order
 * status name ({@code ACTIVE}, {@code REFUNDED}...).
 */
public record OrderNotification(String orderId,
                                String customerId,
                                String customerEmail,
                                String customerName,
                                String status,
                                String reason,
                                String serverId,
                                String serverName,
                                String panelIdentifier,
                                String planId) {
}
