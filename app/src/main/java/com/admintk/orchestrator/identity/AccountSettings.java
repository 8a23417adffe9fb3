package com.admintk.orchestrator.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import java.time.Duration;

/**
 * {@code orchestrator.accounts.*}: self-service accounts and service-account keys.
 *
 * @param publicApiUrl        the API as customers reach it: verification links point at {@code /api/v1/auth/verify}
 * @param passwordResetUrl    the Dash page that takes a reset token ({@code ?token=} is appended)
 * @param verificationTtl     how long a verification link works
 * @param passwordResetTtl    how long a reset token works (it works once)
 * @param apiKeyOverlap       how long the old key keeps working after a rotation, unless the rotation says otherwise
 */
@ConfigurationProperties("orchestrator.accounts")
public record AccountSettings(
        @NotBlank @Bindable(defaultValue = "http://localhost:8080") String publicApiUrl,
        @NotBlank @Bindable(defaultValue = "http://localhost:3000/reset-password") String passwordResetUrl,
        @NotNull @Bindable(defaultValue = "48h") Duration verificationTtl,
        @NotNull @Bindable(defaultValue = "1h") Duration passwordResetTtl,
        @NotNull @Bindable(defaultValue = "24h") Duration apiKeyOverlap) {
}
