package com.admintk.orchestrator.pterodactyl;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;
import java.util.List;

/**
 * {@code panels.<region>.*}: a panel (region) besides the default one of {@code panel.*}. The entry's name is the
 * region's name, as orders, plans and server records carry it.
 *
 * @param name               the region, e.g. {@code west}: lower case letters, digits and dashes
 * @param url                the panel's base URL
 * @param applicationKey     {@code ptla_…}, plaintext or {@code enc:v1:…} (encrypted with {@code ENCRYPTION_KEYS})
 * @param clientKey          {@code ptlc_…}, plaintext or {@code enc:v1:…}
 * @param locations          the panel's location ids this region sells in (a plan sold here is placed on them)
 * @param rateLimitPerMinute this panel's own fleet-wide budget (its own Redis bucket)
 * @param rateLimitBurst     how much of it may be spent at once
 * @param rateLimitKey       the Redis key of its bucket; default {@code admintk:panel:rate:<region>}
 */
@EachProperty("panels")
public record PanelRegionConfiguration(@Parameter String name,
                                       @NotBlank String url,
                                       @NotBlank String applicationKey,
                                       @Nullable String clientKey,
                                       @NotEmpty List<Integer> locations,
                                       @Bindable(defaultValue = "5s") @NotNull Duration connectTimeout,
                                       @Bindable(defaultValue = "45s") @NotNull Duration readTimeout,
                                       @Bindable(defaultValue = "200") @Min(1) int rateLimitPerMinute,
                                       @Bindable(defaultValue = "10") @Min(1) int rateLimitBurst,
                                       @Nullable String rateLimitKey) {

    /** The panel as the client takes it; keys as configured (maybe still encrypted). */
    public PanelConfiguration panel() {
        return new PanelConfiguration(url, applicationKey, clientKey, connectTimeout, readTimeout, rateLimitPerMinute,
                rateLimitBurst, rateLimitKey == null || rateLimitKey.isBlank() ? "admintk:panel:rate:" + name
                : rateLimitKey);
    }
}
