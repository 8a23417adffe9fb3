package com.admintk.orchestrator.notification;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The words of the customer emails about a server's lifecycle, one per event. */
final class ServerEmails {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private ServerEmails() {
    }

    static String subject(ServerNotification n) {
        String server = name(n);
        return switch (event(n)) {
            case ServerNotification.RENEWED -> "Your server " + server + " was renewed";
            case ServerNotification.PAYMENT_DUE -> "Renewal payment due for " + server;
            case ServerNotification.PAYMENT_FAILED -> "We could not renew " + server;
            case ServerNotification.SUSPENDED -> "Your server " + server + " is suspended";
            case ServerNotification.UNSUSPENDED -> "Your server " + server + " is available again";
            case ServerNotification.TERMINATED -> "Your server " + server + " was terminated";
            case ServerNotification.CANCELLATION_SCHEDULED -> "Your server " + server + " will end at its renewal date";
            case ServerNotification.PAY_NOW_FAILED -> "Your payment for " + server + " did not go through";
            case ServerNotification.PLAN_CHANGED -> "Your server " + server + " has its new plan";
            case ServerNotification.PLAN_CHANGE_FAILED -> "The plan of " + server + " was not changed";
            case ServerNotification.REINSTALLED -> "Your server " + server + " was reinstalled";
            case ServerNotification.REINSTALL_FAILED -> "The reinstall of " + server + " did not finish";
            case ServerNotification.RESOURCE_ALERT -> "Your server " + server + " is running at its limits";
            default -> "Your server " + server + ": " + event(n).toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * Operator reasons (abuse notes, panel answers) stay out of customer mail: they read what happened and what
     * they can do.
     */
    static String body(ServerNotification n) {
        StringBuilder sb = new StringBuilder("Hello,\n\n");
        switch (event(n)) {
            case ServerNotification.RENEWED -> sb.append("Your server ").append(name(n))
                    .append(" is paid until ").append(day(n.renewsAtMillis())).append(".\n");
            case ServerNotification.PAYMENT_DUE -> sb.append("The renewal of ").append(name(n))
                    .append(" is due. Please complete payment ").append(n.paymentId())
                    .append(" in your dashboard.\n");
            case ServerNotification.PAYMENT_FAILED -> {
                sb.append("We could not charge the renewal of ").append(name(n)).append(" (attempt ")
                        .append(n.attempt()).append(" of ").append(n.attempts()).append(").\n");
                if (n.nextAttemptAtMillis() > 0) {
                    sb.append("We will try again on ").append(day(n.nextAttemptAtMillis()))
                            .append(". Top up your TK-Coins or pay now to keep your server running.\n");
                } else {
                    sb.append("Your server will be suspended. Pay before ").append(day(n.graceEndsAtMillis()))
                            .append(" to keep it; after that it is deleted.\n");
                }
            }
            case ServerNotification.SUSPENDED -> sb.append("Your server ").append(name(n)).append(" is suspended")
                    .append("NON_PAYMENT".equals(n.reason()) ? ".\n" : ". Contact support if you have questions.\n");
            case ServerNotification.UNSUSPENDED -> sb.append("Your server ").append(name(n))
                    .append(" is no longer suspended. You can start it again.\n");
            case ServerNotification.TERMINATED -> sb.append("Your server ").append(name(n))
                    .append(" was terminated and its data deleted.\n");
            case ServerNotification.CANCELLATION_SCHEDULED -> sb.append("Your server ").append(name(n))
                    .append(" will not renew: it ends on ").append(day(n.renewsAtMillis())).append(".\n");
            case ServerNotification.PAY_NOW_FAILED -> sb.append("We could not take your payment for ").append(name(n))
                    .append(". Nothing changed: it is still paid until ").append(day(n.renewsAtMillis()))
                    .append(".\n");
            case ServerNotification.PLAN_CHANGED -> sb.append("Your server ").append(name(n))
                    .append(" now runs on its new plan. Renewals from ").append(day(n.renewsAtMillis()))
                    .append(" charge the new price.\n");
            case ServerNotification.PLAN_CHANGE_FAILED -> sb.append("We could not change the plan of ").append(name(n))
                    .append(". It keeps its current plan and nothing was charged.\n");
            case ServerNotification.REINSTALLED -> sb.append("Your server ").append(name(n))
                    .append(" was reinstalled and is ready.\n");
            case ServerNotification.REINSTALL_FAILED -> sb.append("The reinstall of ").append(name(n))
                    .append(" did not finish. Our team was alerted and will look into it.\n");
            // the reason is ours (resource, use, duration), never an operator's note
            case ServerNotification.RESOURCE_ALERT -> sb.append("Your server ").append(name(n)).append(" has been running ")
                    .append("with ").append(n.reason()).append(".\nIt may slow down or stop responding. Check what it ")
                    .append("runs, or move it to a bigger plan in your dashboard.\n");
            default -> sb.append("Your server ").append(name(n)).append(": ").append(event(n)).append(".\n");
        }
        sb.append("\nServer: ").append(n.serverId()).append("\n\n-- Admin-TK\n");
        return sb.toString();
    }

    private static String day(long millis) {
        return millis <= 0 ? "-" : DAY.format(Instant.ofEpochMilli(millis));
    }

    private static String name(ServerNotification n) {
        return n.serverName() == null || n.serverName().isBlank() ? n.serverId() : n.serverName();
    }

    private static String event(ServerNotification n) {
        return n.event() == null ? "UNKNOWN" : n.event();
    }
}
