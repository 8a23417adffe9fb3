package com.admintk.orchestrator.notification;

import com.admintk.orchestrator.order.CustomerReason;

/** The words of the customer emails, one per order outcome. */
final class OrderEmails {

    private OrderEmails() {
    }

    static String subject(OrderNotification n) {
        return switch (status(n)) {
            case "ACTIVE" -> "Your server " + orDefault(n.serverName(), "") + " is ready";
            case "REFUNDED" -> "Your order " + n.orderId() + " was refunded";
            case "CANCELLED" -> "Your order " + n.orderId() + " was cancelled";
            case "FAILED" -> "Your order " + n.orderId() + " could not be completed";
            default -> "Your order " + n.orderId() + ": " + status(n).toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String body(OrderNotification n) {
        StringBuilder sb = new StringBuilder();
        sb.append("Hello ").append(orDefault(n.customerName(), "there")).append(",\n\n");
        switch (status(n)) {
            case "ACTIVE" -> sb.append("Your game server ").append(orDefault(n.serverName(), ""))
                    .append(" is installed and ready to start.\n")
                    .append(n.panelIdentifier() == null ? "" : "Server identifier: " + n.panelIdentifier() + "\n");
            case "REFUNDED" -> sb.append("We could not set up your server, so everything you paid was given back.\n");
            case "CANCELLED" -> sb.append("Your order was cancelled. Nothing is owed.\n");
            case "FAILED" -> sb.append("We could not complete your order. You were not charged.\n");
            default -> sb.append("Your order is now ").append(status(n)).append(".\n");
        }
        CustomerReason reason = CustomerReason.of(n.reason());
        if (reason != null && !"ACTIVE".equals(status(n))) {
            // The raw reason carries panel answers and hosts: customers read the fixed sentence of its code.
            sb.append("Reason: ").append(reason.message()).append(" (").append(reason.code()).append(")\n");
        }
        sb.append("\nOrder: ").append(n.orderId()).append("\n\n-- Admin-TK\n");
        return sb.toString();
    }

    private static String status(OrderNotification n) {
        return n.status() == null ? "UNKNOWN" : n.status();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
