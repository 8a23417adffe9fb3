package com.admintk.orchestrator.localstack;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The local stack's SMTP server: it accepts every customer email and logs who got what. */
final class LocalMail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalMail.class);

    private final GreenMail mail;
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "local-mail");
        thread.setDaemon(true);
        return thread;
    });
    private int seen;

    private LocalMail(int port) {
        mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    static LocalMail start(int port) {
        LocalMail local = new LocalMail(port);
        local.mail.start();
        local.watcher.scheduleWithFixedDelay(local::logNew, 1, 1, TimeUnit.SECONDS);
        LOG.info("SMTP (GreenMail) on localhost:{}", port);
        return local;
    }

    private void logNew() {
        MimeMessage[] messages = mail.getReceivedMessages();
        for (; seen < messages.length; seen++) {
            try {
                Address[] to = messages[seen].getAllRecipients();
                LOG.info("Email to {}: {}", to == null ? "?" : Arrays.toString(to), messages[seen].getSubject());
            } catch (MessagingException e) {
                LOG.info("Email received (unreadable headers: {})", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        watcher.shutdownNow();
        mail.stop();
    }
}
