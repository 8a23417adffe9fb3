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
            case "COMPENSATION_FAILED" -> "Your order " + n.orderId() + " could not be completed";
            case "WAITING_FOR_CAPACITY" -> "Your order " + n.orderId() + " is waiting for a free server slot";
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
            case "COMPENSATION_FAILED" -> sb.append("We could not set up your server. Our team has been told and "
                    + "will make sure you get back anything you paid; you need not do anything.\n");
            case "WAITING_FOR_CAPACITY" -> sb.append("Your payment went through, but no server slot is free for "
                    + "this plan right now. As you asked, your order waits for one and your server is set up as soon "
                    + "as there is room. If none comes in the time you allowed, everything you paid is given back.\n");
            default -> sb.append("Your order is now ").append(status(n)).append(".\n");
        }
        CustomerReason reason = CustomerReason.of(n.reason());
        if (reason != null && !"ACTIVE".equals(status(n)) && !"WAITING_FOR_CAPACITY".equals(status(n))) {
            // The raw reason carries panel answers and hosts: customers read the fixed sentence of its code.
            sb.append("Reason: ").append(reason.message()).append(" (").append(reason.code()).append(")\n");
        }
        sb.append("\nOrder: ").append(n.orderId()).append("\n\n-- Admin-TK\n");
        return sb.toString();
    }

    static String operatorSubject(OperatorAlert alert) {
        return "[Admin-TK ALERT] " + alert.kind() + (alert.orderId() == null ? "" : " order " + alert.orderId());
    }

    /** Everything an operator needs to finish by hand, without opening anything else first. */
    static String operatorBody(String alertKey, OperatorAlert alert) {
        StringBuilder sb = new StringBuilder();
        sb.append(alert.summary()).append("\n\n");
        sb.append("Order:            ").append(alert.orderId()).append('\n');
        sb.append("Customer:         ").append(alert.customerId()).append('\n');
        sb.append("Workflow:         ").append(alert.workflowId()).append('\n');
        sb.append("Panel server:     external_id ").append(alert.panelExternalId())
                .append(alert.serverDeleted() ? " (deleted or never created)" : " (MAY STILL EXIST: delete it)")
                .append('\n');
        sb.append("Payment:          ").append(alert.paymentId())
                .append(alert.refunded() ? " (refunded or nothing to refund)" : " (NOT REFUNDED: refund it)")
                .append('\n');
        sb.append("\nWhy the undo gave up:\n");
        if (alert.problems() != null) {
            alert.problems().forEach(p -> sb.append("  - ").append(p).append('\n'));
        }
        sb.append("\nThe order is COMPENSATION_FAILED and is not retried automatically. Alert key: ")
                .append(alertKey).append("\n\n-- Admin-TK Orchestrator\n");
        return sb.toString();
    }

    private static String status(OrderNotification n) {
        return n.status() == null ? "UNKNOWN" : n.status();
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
