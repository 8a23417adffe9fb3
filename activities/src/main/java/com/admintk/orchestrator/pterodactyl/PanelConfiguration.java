package com.admintk.orchestrator.pterodactyl;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * {@code panel.*}: where the Pterodactyl panel of the default region is and how hard we may call it (other regions:
 * {@link PanelRegionConfiguration}, which makes one of these per region).
 *
 * @param url                 panel base URL, e.g. {@code https://panel.example.com}; also the websocket Origin
 * @param applicationKey      {@code ptla_…} admin key for {@code /api/application}; plaintext, or ciphertext
 *                            {@code enc:v1:…} sealed with {@code ENCRYPTION_KEYS} (decrypted when the client is made)
 * @param clientKey           {@code ptlc_…} key for {@code /api/client} (resources, console websocket); likewise
 * @param connectTimeout      TCP connect timeout
 * @param readTimeout         whole-response timeout; a create waits up to ~20 s on Wings, so keep it well above that.
 *                            Inside an activity each request gets at most what is left of the attempt's
 *                            start-to-close timeout, so this bounds calls made outside Temporal (tools, tests)
 * @param rateLimitPerMinute  global budget for all workers together; the panel allows 240/min per user
 * @param rateLimitBurst      how much of that budget may be spent at once; any 60 s window stays within the budget
 * @param rateLimitKey        Redis key of the shared bucket (one per panel user)
 */
@ConfigurationProperties("panel")
public record PanelConfiguration(@NotBlank String url,
                                 @NotBlank String applicationKey,
                                 @Nullable String clientKey,
                                 @Bindable(defaultValue = "5s") @NotNull Duration connectTimeout,
                                 @Bindable(defaultValue = "45s") @NotNull Duration readTimeout,
                                 @Bindable(defaultValue = "200") @Min(1) int rateLimitPerMinute,
                                 @Bindable(defaultValue = "10") @Min(1) int rateLimitBurst,
                                 @Bindable(defaultValue = "admintk:panel:rate") @NotBlank String rateLimitKey) {

    public PanelConfiguration {
        if (url != null && url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (rateLimitBurst >= rateLimitPerMinute) {
            rateLimitBurst = Math.max(1, rateLimitPerMinute / 10);
        }
    }

    /** Defaults for everything but the panel address and keys. */
    public static PanelConfiguration of(String url, String applicationKey, String clientKey) {
        return new PanelConfiguration(url, applicationKey, clientKey, Duration.ofSeconds(5), Duration.ofSeconds(45),
                200, 10, "admintk:panel:rate");
    }

    public PanelConfiguration withReadTimeout(Duration timeout) {
        return new PanelConfiguration(url, applicationKey, clientKey, connectTimeout, timeout, rateLimitPerMinute,
                rateLimitBurst, rateLimitKey);
    }

    /** The same panel with its keys as the client sends them (decrypted). */
    public PanelConfiguration withKeys(String application, String client) {
        return new PanelConfiguration(url, application, client, connectTimeout, readTimeout, rateLimitPerMinute,
                rateLimitBurst, rateLimitKey);
    }

    public PanelConfiguration withRateLimit(int perMinute, int burst) {
        return new PanelConfiguration(url, applicationKey, clientKey, connectTimeout, readTimeout, perMinute, burst,
                rateLimitKey);
    }
}
