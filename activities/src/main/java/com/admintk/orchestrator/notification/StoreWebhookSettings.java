package com.admintk.orchestrator.notification;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** {@code notifications.store-webhook.*}: the store's endpoint for order events. No URL: the store is not told. */
@ConfigurationProperties("notifications.store-webhook")
public record StoreWebhookSettings(
        @Nullable String url,
        @NotBlank @Bindable(defaultValue = "store-webhook-local-secret") String secret,
        @Min(1) @Max(120) @Bindable(defaultValue = "10") int timeoutSeconds) {

    public static StoreWebhookSettings of(String url, String secret) {
        return new StoreWebhookSettings(url, secret, 10);
    }
}
