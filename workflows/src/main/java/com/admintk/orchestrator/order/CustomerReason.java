package com.admintk.orchestrator.order;

import com.admintk.orchestrator.payment.PaymentFailures;
import com.admintk.orchestrator.pterodactyl.PanelFailures;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a customer may read about a failure: a stable UPPER_SNAKE code to switch on and a fixed, safe sentence. The
 * saga keeps the raw cause ({@code "TYPE: message"}, see {@code OrderProvisioningWorkflowImpl.reasonOf}) for
 * operators; that text carries panel answers, hosts and exception names, and never reaches a customer.
 *
 * <p>Derived from the stored raw reason rather than stored beside it, so orders recorded before the codes existed
 * read the same way.
 */
public record CustomerReason(String code, String message) {

    public static final String CANCELLED = "CANCELLED";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private static final Pattern TYPED = Pattern.compile("^([A-Za-z][A-Za-z0-9_]*): ");

    private static final CustomerReason CANCELLED_REASON = new CustomerReason(CANCELLED, "The order was cancelled.");
    private static final CustomerReason INTERNAL = new CustomerReason(INTERNAL_ERROR,
            "Something went wrong on our side. Our team has been told.");
    private static final CustomerReason PROVISIONING_FAILED = new CustomerReason("PROVISIONING_FAILED",
            "The game server could not be set up.");
    private static final CustomerReason PAYMENT_DECLINED = new CustomerReason(PaymentFailures.PAYMENT_DECLINED,
            "The payment was declined. Nothing was charged.");
    private static final CustomerReason NO_CAPACITY = new CustomerReason("NO_CAPACITY",
            "No server capacity is free for this plan right now.");
    private static final CustomerReason NOTIFICATION_DELAYED = new CustomerReason("NOTIFICATION_DELAYED",
            "A notification could not be delivered yet.");

    /** By the failure type the saga recorded. Panel types are CamelCase; customers get UPPER_SNAKE codes. */
    private static final Map<String, CustomerReason> BY_TYPE = Map.ofEntries(
            Map.entry(PaymentFailures.INSUFFICIENT_FUNDS, new CustomerReason(PaymentFailures.INSUFFICIENT_FUNDS,
                    "Not enough TK-Coins for this order. Nothing was charged.")),
            Map.entry(PaymentFailures.PAYMENT_DECLINED, PAYMENT_DECLINED),
            Map.entry(PaymentFailures.PAYMENT_INVALID, PAYMENT_DECLINED),
            Map.entry(PaymentFailures.PAYMENT_TIMEOUT, new CustomerReason(PaymentFailures.PAYMENT_TIMEOUT,
                    "The payment was not confirmed in time. Nothing was charged.")),
            Map.entry(PaymentFailures.PAYMENT_ERROR, new CustomerReason("PAYMENT_FAILED",
                    "The payment could not be completed. Anything taken was given back.")),
            Map.entry(PaymentFailures.REFUND_REJECTED, new CustomerReason("REFUND_PENDING",
                    "The refund could not be completed yet. Our team has been told.")),
            Map.entry(OrderFailures.ORDER_INVALID, new CustomerReason(OrderFailures.ORDER_INVALID,
                    "The order cannot be fulfilled as placed.")),
            Map.entry(OrderFailures.EGG_VARIABLES_INVALID, new CustomerReason(OrderFailures.EGG_VARIABLES_INVALID,
                    "Some game settings are not valid for this game.")),
            Map.entry(OrderFailures.INSTALL_FAILED, new CustomerReason(OrderFailures.INSTALL_FAILED,
                    "The game server failed to install.")),
            Map.entry(OrderFailures.INSTALL_DEADLINE, new CustomerReason("INSTALL_TIMEOUT",
                    "The game server did not finish installing in time.")),
            Map.entry(PanelFailures.NO_CAPACITY, NO_CAPACITY),
            // The room reserved for the server was taken on the panel meanwhile: no room, as the customer sees it.
            Map.entry(PanelFailures.ALLOCATION_TAKEN, NO_CAPACITY),
            Map.entry(PanelFailures.UNAVAILABLE, new CustomerReason("PANEL_UNAVAILABLE",
                    "The game panel did not answer in time.")),
            Map.entry(PanelFailures.VALIDATION, PROVISIONING_FAILED),
            Map.entry(PanelFailures.NOT_FOUND, PROVISIONING_FAILED),
            Map.entry(PanelFailures.STATE_CONFLICT, PROVISIONING_FAILED),
            Map.entry(PanelFailures.ACCESS_DENIED, PROVISIONING_FAILED),
            // The notification activities' types (their implementation lives in activities/).
            Map.entry("NOTIFICATION_UNAVAILABLE", NOTIFICATION_DELAYED),
            Map.entry("NOTIFICATION_REJECTED", NOTIFICATION_DELAYED));

    /** The customer's reading of a raw reason; null when there is no reason. */
    public static CustomerReason of(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.equals("cancelled") || raw.startsWith("cancelled:")) {
            return CANCELLED_REASON;
        }
        Matcher typed = TYPED.matcher(raw);
        if (!typed.find()) {
            return INTERNAL;
        }
        CustomerReason reason = BY_TYPE.getOrDefault(typed.group(1), INTERNAL);
        if (typed.group(1).equals(OrderFailures.EGG_VARIABLES_INVALID)) {
            // The customer typed these settings and needs to know which to fix; their names are the egg's.
            java.util.List<String> names = EGG_VARIABLE.matcher(raw.substring(typed.end())).results()
                    .map(m -> m.group(1)).distinct().toList();
            if (!names.isEmpty()) {
                return new CustomerReason(reason.code(), reason.message().replaceAll("\\.$", "")
                        + ": " + String.join(", ", names) + ".");
            }
        }
        return reason;
    }

    /** A problem of the egg resolver: {@code NAME: what is wrong}, several joined by {@code "; "}. */
    private static final Pattern EGG_VARIABLE = Pattern.compile("(?:^|; |: )([A-Z][A-Z0-9_]{0,63}): ");
}
