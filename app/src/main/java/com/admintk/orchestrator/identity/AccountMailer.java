package com.admintk.orchestrator.identity;

import com.admintk.orchestrator.notification.SmtpSettings;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/**
 * Account emails (verification links, reset tokens) over the same SMTP server as the order emails. Sent in the
 * background: the answer to "forgot password" must take as long whether or not the account exists, and a slow mail
 * server must not hold an HTTP request. A lost email is recovered by asking again (register or forgot once more).
 */
@Singleton
public class AccountMailer {

    private static final Logger LOG = LoggerFactory.getLogger(AccountMailer.class);

    private final SmtpSettings smtp;
    private final ExecutorService executor;

    public AccountMailer(SmtpSettings smtp, @Named(TaskExecutors.IO) ExecutorService executor) {
        this.smtp = smtp;
        this.executor = executor;
    }

    public void send(String to, String subject, String body) {
        executor.execute(() -> {
            try {
                Transport.send(message(to, subject, body));
            } catch (MessagingException | RuntimeException e) {
                LOG.warn("account email '{}' not sent: {}", subject, e.getMessage());
            }
        });
    }

    private MimeMessage message(String to, String subject, String body) throws MessagingException {
        Session session = smtp.session();
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(smtp.from()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        message.setText(body, StandardCharsets.UTF_8.name());
        return message;
    }
}
