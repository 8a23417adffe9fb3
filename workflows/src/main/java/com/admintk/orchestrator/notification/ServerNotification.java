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
}
