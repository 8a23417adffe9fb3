package com.admintk.orchestrator.notification;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Telling people, on the {@code notifications} task queue. Each channel is its own activity, retried on its own;
 * a channel that keeps failing never fails the saga. {@code notificationKey} is stable per order and outcome so a
 * retried send can be deduplicated downstream (webhook delivery id, event id, Message-ID).
 */
@ActivityInterface
public interface NotificationActivities {

    /** Email through SMTP. */
    @ActivityMethod
    void emailCustomer(String notificationKey, OrderNotification notification);

    /** Signed outgoing webhook to the store's configured URL. */
    @ActivityMethod
    void notifyStore(String notificationKey, OrderNotification notification);

    /** Event for WebSocket subscribers of the order, fanned out through Redis. */
    @ActivityMethod
    void publishOrderEvent(String notificationKey, OrderNotification notification);

    /**
     * Tells the operators that something needs a human: an entry in the audit log and an email to the configured
     * operations address. {@code alertKey} is stable per order attempt, so a retried alert writes one entry and sends
     * one email.
     */
    @ActivityMethod
    void alertOperators(String alertKey, OperatorAlert alert);

    /**
     * Emails the customer about their server (renewed, payment failed, suspended, terminated...). {@code
     * notificationKey} is stable per server event, so a retried send is one email.
     */
    @ActivityMethod
    void emailServerEvent(String notificationKey, ServerNotification notification);
}
