package com.admintk.orchestrator.payment;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code payments.stripe.*}. The defaults point at nothing real: {@code api-base} must be set to the fake Stripe of
 * the local stack, or left at Stripe's own base with a real {@code sk_…} key in production.
 */
@ConfigurationProperties("payments.stripe")
public record StripeSettings(
        @NotBlank @Bindable(defaultValue = "sk_test_admintk_local") String apiKey,
        @NotBlank @Bindable(defaultValue = "https://api.stripe.com") String apiBase,
        @NotBlank @Bindable(defaultValue = "whsec_admintk_local") String webhookSecret,
        @Min(1) @Max(3600) @Bindable(defaultValue = "300") long webhookToleranceSeconds,
        @Min(1) @Max(120) @Bindable(defaultValue = "20") int timeoutSeconds) {

    public static StripeSettings of(String apiKey, String apiBase, String webhookSecret) {
        return new StripeSettings(apiKey, apiBase, webhookSecret, 300, 20);
    }
}
