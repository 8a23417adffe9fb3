package com.admintk.orchestrator.notification;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Sessions are thread-safe and costly to make (provider lookup): one per distinct settings. */
    private static final Map<SmtpSettings, Session> SESSIONS = new ConcurrentHashMap<>();

    /** A mail session for these settings: bounded connect/read/write times, AUTH only with a username. */
    public Session session() {
        return SESSIONS.computeIfAbsent(this, SmtpSettings::newSession);
    }

    private Session newSession() {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", String.valueOf(port));
        String timeout = String.valueOf(timeoutSeconds * 1000);
        props.put("mail.smtp.connectiontimeout", timeout);
        props.put("mail.smtp.timeout", timeout);
        props.put("mail.smtp.writetimeout", timeout);
        props.put("mail.smtp.starttls.enable", String.valueOf(startTls));
        if (username == null || username.isBlank()) {
            return Session.getInstance(props);
        }
        props.put("mail.smtp.auth", "true");
        return Session.getInstance(props, new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(username, password);
            }
        });
    }
}
