package com.admintk.orchestrator.notification;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** {@code notifications.smtp.*}: where customer emails go. No username means no SMTP AUTH. */
@ConfigurationProperties("notifications.smtp")
public record SmtpSettings(
        @NotBlank @Bindable(defaultValue = "localhost") String host,
        @Min(1) @Max(65535) @Bindable(defaultValue = "2525") int port,
        @NotBlank @Bindable(defaultValue = "Admin-TK <no-reply@admin-tk.local>") String from,
        @Nullable String username,
        @Nullable String password,
        @Bindable(defaultValue = "false") boolean startTls,
        @Min(1) @Max(120) @Bindable(defaultValue = "10") int timeoutSeconds) {

    public static SmtpSettings of(String host, int port, String from) {
        return new SmtpSettings(host, port, from, null, null, false, 10);
    }
}
