package com.admintk.orchestrator.notification;

/**
 * What a customer is told about a server's lifecycle. {@code event} is one of the constants below;
 * {@code paymentId} names the renewal payment to pay (card) or that failed; {@code nextAttemptAtMillis} and
 * {@code graceEndsAtMillis} are 0 when they do not apply.
 */
public record ServerNotification(String serverId,
                                 String customerId,
                                 String customerEmail,
                                 String serverName,
                                 String event,
                                 String reason,
                                 long renewsAtMillis,
                                 String paymentId,
                                 int attempt,
                                 int attempts,
                                 long nextAttemptAtMillis,
                                 long graceEndsAtMillis) {

    public static final String RENEWED = "RENEWED";
    /** A card renewal payment is open: pay it before the deadline. */
    public static final String PAYMENT_DUE = "PAYMENT_DUE";
    public static final String PAYMENT_FAILED = "PAYMENT_FAILED";
    public static final String SUSPENDED = "SUSPENDED";
    public static final String UNSUSPENDED = "UNSUSPENDED";
    public static final String TERMINATED = "TERMINATED";
    public static final String CANCELLATION_SCHEDULED = "CANCELLATION_SCHEDULED";
    /** A "pay now" was not paid; nothing changed. */
    public static final String PAY_NOW_FAILED = "PAY_NOW_FAILED";
    /** The server runs on its new plan; {@code reason} names the plan. */
    public static final String PLAN_CHANGED = "PLAN_CHANGED";
    /** The plan change did not happen (not paid, or the panel refused); the server keeps its plan. */
    public static final String PLAN_CHANGE_FAILED = "PLAN_CHANGE_FAILED";
    public static final String REINSTALLED = "REINSTALLED";
    /** The reinstall did not finish; operators were alerted. */
    public static final String REINSTALL_FAILED = "REINSTALL_FAILED";
    /** The server stayed above its plan's CPU or memory alert level; {@code reason} says which, how much, how long. */
    public static final String RESOURCE_ALERT = "RESOURCE_ALERT";
}
