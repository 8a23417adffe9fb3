package com.admintk.orchestrator.testing;

import com.admintk.orchestrator.notification.NotificationActivities;
import com.admintk.orchestrator.notification.OperatorAlert;
import com.admintk.orchestrator.notification.OrderNotification;
import com.admintk.orchestrator.notification.ServerNotification;
import io.temporal.failure.ApplicationFailure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

public class FakeNotifications implements NotificationActivities {

    private final Journal journal;
    public volatile boolean smtpDown;
    public final List<OperatorAlert> alerts = new CopyOnWriteArrayList<>();
    public final List<ServerNotification> serverEvents = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> serverKeys = java.util.concurrent.ConcurrentHashMap.newKeySet();

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

    @Override
    public void alertOperators(String alertKey, OperatorAlert alert) {
        journal.add("notify.operators:" + alertKey);
        alerts.add(alert);
    }

    /** Deduplicated by key like the real one: a retried send is one email. */
    @Override
    public void emailServerEvent(String notificationKey, ServerNotification notification) {
        if (!serverKeys.add(notificationKey)) {
            return;
        }
        journal.add("notify.server:" + notification.event());
        serverEvents.add(notification);
    }
}
