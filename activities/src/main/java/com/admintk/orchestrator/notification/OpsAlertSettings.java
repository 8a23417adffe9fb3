package com.admintk.orchestrator.notification;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code notifications.ops.*}: where alerts for operators go ({@code OPS_ALERT_EMAIL}). Without an address the
 * alert is only written to the audit log (and counted by the metric the alert rule reads).
 */
@ConfigurationProperties("notifications.ops")
public record OpsAlertSettings(@Nullable String email) {

    public static OpsAlertSettings of(String email) {
        return new OpsAlertSettings(email);
    }

    boolean emailConfigured() {
        return email != null && !email.isBlank();
    }
}
