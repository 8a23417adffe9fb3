package com.admintk.orchestrator.notification;

import com.admintk.orchestrator.identity.AuditRepository;
import com.mongodb.MongoException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.serde.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link NotificationActivities} on the {@code notifications} task queue. Each channel is deduplicated by the
 * notification key ({@link SentNotifications}) and carries the key to the receiver. Transient trouble (SMTP or the
 * store down, Redis unreachable) fails retryably; a refusal that retrying cannot change (bad address, store answers
 * 4xx) fails for good. The workflow swallows both, so a notification never stops an order.
 */
@Singleton
public class NotificationActivitiesImpl implements NotificationActivities {

    /** Retryable: the receiving side is down or slow. */
    public static final String NOTIFICATION_UNAVAILABLE = "NOTIFICATION_UNAVAILABLE";
    /** Non-retryable: the receiver refused the message itself. */
    public static final String NOTIFICATION_REJECTED = "NOTIFICATION_REJECTED";
    public static final String ORDER_CHANNEL_PREFIX = "orders:";
    /** The actor of audit entries written by workers rather than a person. */
    public static final String SYSTEM_ACTOR = "system";

    private static final Logger log = LoggerFactory.getLogger(NotificationActivitiesImpl.class);

    private final SmtpSettings smtp;
    private final OpsAlertSettings ops;
    private final AuditRepository audit;
    private final StoreWebhookSettings store;
    private final StatefulRedisConnection<String, String> redis;
    private final SentNotifications sent;
    private final ObjectMapper json;
    private final HttpClient http;

    public NotificationActivitiesImpl(SmtpSettings smtp, StoreWebhookSettings store,
                                      StatefulRedisConnection<String, String> redis, SentNotifications sent,
                                      ObjectMapper json, OpsAlertSettings ops, AuditRepository audit) {
        this.smtp = smtp;
        this.ops = ops;
        this.audit = audit;
        this.store = store;
        this.redis = redis;
        this.sent = sent;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(store.timeoutSeconds())).build();
    }

    // ------------------------------------------------------------------ email

    @Override
    public void emailCustomer(String notificationKey, OrderNotification notification) {
        if (notification.customerEmail() == null || notification.customerEmail().isBlank()) {
            log.info("order {}: no customer email, nothing sent ({})", notification.orderId(), notificationKey);
            return;
        }
        if (alreadySent("email", notificationKey)) {
            return;
        }
        send(notificationKey, notification.customerEmail(), OrderEmails.subject(notification),
                OrderEmails.body(notification), notification.orderId());
        markSent("email", notificationKey);
    }

    private void send(String notificationKey, String to, String subject, String body, String orderId) {
        try {
            Transport.send(message(notificationKey, to, subject, body, orderId));
        } catch (SendFailedException e) {
            if (e.getValidSentAddresses() == null || e.getValidSentAddresses().length == 0) {
                throw ApplicationFailure.newNonRetryableFailureWithCause("email to " + to + " refused: "
                        + e.getMessage(), NOTIFICATION_REJECTED, e);
            }
        } catch (AddressException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause("bad email address: " + e.getMessage(),
                    NOTIFICATION_REJECTED, e);
        } catch (MessagingException e) {
            throw ApplicationFailure.newFailureWithCause("SMTP " + smtp.host() + ":" + smtp.port() + " failed: "
                    + e.getMessage(), NOTIFICATION_UNAVAILABLE, e);
        }
    }

    private MimeMessage message(String notificationKey, String to, String subject, String body, String orderId)
            throws MessagingException {
        Session session = smtp.session();
        // A Message-ID from the key: a resend after a lost acknowledgement is the same message to mail clients.
        String messageId = "<" + sha256(notificationKey).substring(0, 40) + "@orchestrator.admin-tk>";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(smtp.from()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        message.setSubject(subject, StandardCharsets.UTF_8.name());
        message.setText(body, StandardCharsets.UTF_8.name());
        message.setHeader("X-AdminTK-Notification-Key", notificationKey);
        if (orderId != null) {
            message.setHeader("X-AdminTK-Order", orderId);
        }
        return message;
    }

    @Override
    public void emailServerEvent(String notificationKey, ServerNotification notification) {
        if (notification.customerEmail() == null || notification.customerEmail().isBlank()) {
            log.info("server {}: no customer email, nothing sent ({})", notification.serverId(), notificationKey);
            return;
        }
        if (alreadySent("email", notificationKey)) {
            return;
        }
        send(notificationKey, notification.customerEmail(), ServerEmails.subject(notification),
                ServerEmails.body(notification), null);
        markSent("email", notificationKey);
    }

    // ------------------------------------------------------------------ store webhook

    @Override
    public void notifyStore(String notificationKey, OrderNotification notification) {
        if (store.url() == null || store.url().isBlank()) {
            log.debug("no store webhook URL configured; order {} not sent to the store", notification.orderId());
            return;
        }
        if (alreadySent("store", notificationKey)) {
            return;
        }
        OrderEvent event = OrderEvent.of(notificationKey, notification);
        String body = write(event);
        HttpRequest request = HttpRequest.newBuilder(URI.create(store.url()))
                .timeout(Duration.ofSeconds(store.timeoutSeconds()))
                .header("Content-Type", "application/json")
                .header("User-Agent", "AdminTK-Orchestrator")
                .header(StoreWebhookSignature.HEADER,
                        StoreWebhookSignature.sign(store.secret(), body, System.currentTimeMillis() / 1000))
                .header(StoreWebhookSignature.DELIVERY_HEADER, notificationKey)
                .header(StoreWebhookSignature.EVENT_HEADER, event.type())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw ApplicationFailure.newFailureWithCause("store webhook " + store.url() + " unreachable: " + e,
                    NOTIFICATION_UNAVAILABLE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApplicationFailure.newFailureWithCause("interrupted", NOTIFICATION_UNAVAILABLE, e);
        }
        if (status >= 200 && status < 300) {
            markSent("store", notificationKey);
            return;
        }
        boolean transientStatus = status == 408 || status == 425 || status == 429 || status >= 500;
        String message = "store webhook " + store.url() + " answered " + status + " for " + notificationKey;
        if (transientStatus) {
            throw ApplicationFailure.newFailure(message, NOTIFICATION_UNAVAILABLE);
        }
        throw ApplicationFailure.newNonRetryableFailure(message, NOTIFICATION_REJECTED);
    }

    // ------------------------------------------------------------------ WebSocket fan-out

    @Override
    public void publishOrderEvent(String notificationKey, OrderNotification notification) {
        try {
            if (sent.wasSent("event", notificationKey)) {
                return;
            }
            long receivers = redis.sync().publish(ORDER_CHANNEL_PREFIX + notification.orderId(),
                    write(OrderEvent.of(notificationKey, notification)));
            log.debug("order {} event {} published to {} subscribers", notification.orderId(), notificationKey,
                    receivers);
            sent.markSent("event", notificationKey);
        } catch (RedisException e) {
            throw ApplicationFailure.newFailureWithCause("Redis publish failed: " + e.getMessage(),
                    NOTIFICATION_UNAVAILABLE, e);
        }
    }

    // ------------------------------------------------------------------ operators

    /**
     * The audit entry first: it is local and durable, and it is what an operator searching the audit log finds even
     * when mail is down. Then the email to the operations address, deduplicated like the customer's.
     */
    @Override
    public void alertOperators(String alertKey, OperatorAlert alert) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("alertKey", alertKey);
        details.put("summary", alert.summary());
        details.put("problems", alert.problems() == null ? List.of() : alert.problems());
        details.put("panelExternalId", alert.panelExternalId());
        details.put("paymentId", alert.paymentId());
        details.put("serverDeleted", alert.serverDeleted());
        details.put("refunded", alert.refunded());
        try {
            audit.insertOnce("alert:" + alertKey, new AuditRepository.AuditEntry(null, Instant.now(), SYSTEM_ACTOR,
                    null, alert.kind(), alert.orderId() == null ? null : "order:" + alert.orderId(), "FAILURE", null,
                    null, alert.workflowId(), details));
        } catch (MongoException e) {
            throw ApplicationFailure.newFailureWithCause("audit log unavailable: " + e.getMessage(),
                    NOTIFICATION_UNAVAILABLE, e);
        }
        log.error("OPERATOR ALERT {} {}: {}", alert.kind(), alertKey, alert.summary());
        if (!ops.emailConfigured()) {
            log.warn("no operations email configured (OPS_ALERT_EMAIL): alert {} is in the audit log only", alertKey);
            return;
        }
        if (alreadySent("ops-email", alertKey)) {
            return;
        }
        send(alertKey, ops.email(), OrderEmails.operatorSubject(alert), OrderEmails.operatorBody(alertKey, alert),
                alert.orderId());
        markSent("ops-email", alertKey);
    }

    // ------------------------------------------------------------------ helpers

    /** The dedupe store helps but must not hold back an email or a webhook: Redis trouble means send anyway. */
    private boolean alreadySent(String channel, String key) {
        return bestEffort(() -> sent.wasSent(channel, key), channel, key);
    }

    private void markSent(String channel, String key) {
        bestEffort(() -> {
            sent.markSent(channel, key);
            return true;
        }, channel, key);
    }

    private static boolean bestEffort(BooleanSupplier call, String channel, String key) {
        try {
            return call.getAsBoolean();
        } catch (RedisException e) {
            log.warn("notification dedupe unavailable for {} {}: {}", channel, key, e.toString());
            return false;
        }
    }

    private String write(OrderEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (IOException e) {
            throw ApplicationFailure.newNonRetryableFailureWithCause("cannot write event " + event.eventId(),
                    NOTIFICATION_REJECTED, e);
        }
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
