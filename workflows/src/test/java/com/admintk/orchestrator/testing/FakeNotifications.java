package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.notification.OrderNotification;
import io.temporal.failure.ApplicationFailure;

public class FakeNotifications implements NotificationActivities {

    private final Journal journal;
    public volatile boolean smtpDown;

    public FakeNotifications(Journal journal) {
        this.journal = journal;
    }

    @Override
    public void emailCustomer(String notificationKey, OrderNotification notification) {
        journal.add("notify.email:" + notification.status());
        if (smtpDown) {
            throw ApplicationFailure.newFailure("421 service not available", "SmtpUnavailable");
        }
    }

    @Override
    public void notifyStore(String notificationKey, OrderNotification notification) {
        journal.add("notify.store:" + notification.status());
    }

    @Override
    public void publishOrderEvent(String notificationKey, OrderNotification notification) {
        journal.add("notify.event:" + notification.status());
    }
}
