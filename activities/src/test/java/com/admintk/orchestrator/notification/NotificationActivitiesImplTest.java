package com.admintk.orchestrator.notification;

import com.admintk.orchestrator.localstack.EmbeddedRedis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.admintk.orchestrator.identity.AuditRepository;
import com.admintk.orchestrator.localstack.FreePorts;
import com.admintk.orchestrator.store.Database;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.serde.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NotificationActivitiesImplTest {

    private static final String SECRET = "store-secret";
    private static final String OPS = "ops@admin-tk.local";

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));

    private static EmbeddedRedis redisServer;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redis;
    private static HttpServer store;
    private static MongoServer mongoServer;
    private static MongoClient mongo;
    private static AuditRepository audit;
    private static final List<Map<String, String>> storeDeliveries = new CopyOnWriteArrayList<>();
    private static final AtomicInteger storeStatus = new AtomicInteger(200);

    private NotificationActivitiesImpl notifications;

    @BeforeAll
    static void startInfrastructure() throws Exception {
        redisServer = EmbeddedRedis.forTests();
        redisClient = RedisClient.create(redisServer.uri());
        redis = redisClient.connect();

        mongoServer = new MongoServer(new MemoryBackend());
        InetSocketAddress mongoAddress = mongoServer.bind();
        String mongoUri = "mongodb://127.0.0.1:" + mongoAddress.getPort() + "/notifications";
        mongo = MongoClients.create(mongoUri);
        audit = new AuditRepository(new Database(mongo, mongoUri));

        store = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        store.createContext("/hooks/admintk", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            storeDeliveries.add(Map.of("body", body,
                    "signature", String.valueOf(exchange.getRequestHeaders().getFirst(StoreWebhookSignature.HEADER)),
                    "delivery", String.valueOf(exchange.getRequestHeaders().getFirst(StoreWebhookSignature.DELIVERY_HEADER)),
                    "event", String.valueOf(exchange.getRequestHeaders().getFirst(StoreWebhookSignature.EVENT_HEADER))));
            exchange.sendResponseHeaders(storeStatus.get(), -1);
            exchange.close();
        });
        store.start();
    }

    @AfterAll
    static void stopInfrastructure() {
        store.stop(0);
        redis.close();
        redisClient.shutdown();
        redisServer.stop();
        mongo.close();
        mongoServer.shutdownNow();
    }

    @BeforeEach
    void wire() {
        redis.sync().flushall();
        storeDeliveries.clear();
        storeStatus.set(200);
        notifications = impl("http://127.0.0.1:" + store.getAddress().getPort() + "/hooks/admintk");
    }

    @AfterEach
    void noLeftovers() {
        storeStatus.set(200);
    }

    private NotificationActivitiesImpl impl(String storeUrl) {
        return new NotificationActivitiesImpl(
                SmtpSettings.of("127.0.0.1", smtp.getSmtp().getPort(), "Admin-TK <no-reply@admin-tk.local>"),
                StoreWebhookSettings.of(storeUrl, SECRET), redis, new SentNotifications(redis),
                ObjectMapper.getDefault(), OpsAlertSettings.of(OPS), audit);
    }

    private static OrderNotification active(String orderId, String email) {
        return new OrderNotification(orderId, "cust-1", email, "Demo", "ACTIVE", null, "srv-1", "My Minecraft",
                "abc123", "plan-s");
    }

    // ------------------------------------------------------------------ email

    @Test
    void theCustomerEmailArrivesAtTheSmtpServer() throws Exception {
        notifications.emailCustomer("order:o1:ACTIVE", active("o1", "demo@admin-tk.local"));
        assertTrue(smtp.waitForIncomingEmail(5_000, 1));
        MimeMessage message = smtp.getReceivedMessages()[0];
        assertEquals("demo@admin-tk.local", message.getAllRecipients()[0].toString());
        assertEquals("Your server My Minecraft is ready", message.getSubject());
        assertTrue(GreenMailUtil.getBody(message).contains("o1"));
        assertEquals("order:o1:ACTIVE", message.getHeader("X-AdminTK-Notification-Key")[0]);
        assertTrue(message.getMessageID().endsWith("@orchestrator.admin-tk>"));
    }

    @Test
    void aRetriedEmailIsSentOnce() throws Exception {
        notifications.emailCustomer("order:o2:ACTIVE", active("o2", "demo@admin-tk.local"));
        notifications.emailCustomer("order:o2:ACTIVE", active("o2", "demo@admin-tk.local"));
        assertTrue(smtp.waitForIncomingEmail(5_000, 1));
        Thread.sleep(300);
        assertEquals(1, smtp.getReceivedMessages().length);
    }

    @Test
    void aRefundEmailSaysWhy() throws Exception {
        notifications.emailCustomer("order:o3:REFUNDED", new OrderNotification("o3", "cust-1", "demo@admin-tk.local",
                "Demo", "REFUNDED", "NoCapacity: panel answered 400: NoViableNodeException: no node at "
                + "http://panel.internal:8081", null, null, null, "plan-s"));
        assertTrue(smtp.waitForIncomingEmail(5_000, 1));
        MimeMessage message = smtp.getReceivedMessages()[0];
        assertEquals("Your order o3 was refunded", message.getSubject());
        String body = GreenMailUtil.getBody(message);
        assertTrue(body.contains("NO_CAPACITY"), body);
        // The raw reason is for operators: the customer reads the fixed sentence of its code.
        assertFalse(body.contains("NoViableNodeException") || body.contains("http://"), body);
    }

    @Test
    void aFailedRenewalEmailSaysWhenTheNextTryIsAndIsSentOnce() throws Exception {
        ServerNotification failed = new ServerNotification("srv-9", "cust-9", "player@example.test", "My Paper server",
                ServerNotification.PAYMENT_FAILED, "PanelAccessDenied: key revoked", 0, "srv-9-r20270101-a1", 1, 3,
                java.time.Instant.parse("2027-01-04T00:00:00Z").toEpochMilli(), 0);
        notifications.emailServerEvent("server:srv-9:PAYMENT_FAILED:a1", failed);
        notifications.emailServerEvent("server:srv-9:PAYMENT_FAILED:a1", failed);

        assertTrue(smtp.waitForIncomingEmail(5_000, 1));
        assertEquals(1, smtp.getReceivedMessages().length);
        MimeMessage message = smtp.getReceivedMessages()[0];
        assertEquals("We could not renew My Paper server", message.getSubject());
        String body = GreenMailUtil.getBody(message);
        assertTrue(body.contains("attempt 1 of 3") && body.contains("2027-01-04"), body);
        assertFalse(body.contains("key revoked"), "internal reasons stay out of customer mail");
    }

    @Test
    void anSmtpServerThatIsDownFailsRetryably() {
        ApplicationFailure f;
        try (FreePorts.RefusingPort down = FreePorts.refusingPort()) {
            NotificationActivitiesImpl unreachable = new NotificationActivitiesImpl(
                    SmtpSettings.of("127.0.0.1", down.port(), "no-reply@admin-tk.local"),
                    StoreWebhookSettings.of(null, SECRET), redis, new SentNotifications(redis), ObjectMapper.getDefault(),
                    OpsAlertSettings.of(OPS), audit);
            f = assertThrows(ApplicationFailure.class,
                    () -> unreachable.emailCustomer("order:o4:ACTIVE", active("o4", "demo@admin-tk.local")));
        }
        assertFalse(f.isNonRetryable());
        assertEquals(NotificationActivitiesImpl.NOTIFICATION_UNAVAILABLE, f.getType());
    }

    @Test
    void noEmailAddressMeansNothingToSend() {
        notifications.emailCustomer("order:o5:ACTIVE", active("o5", null));
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    // ------------------------------------------------------------------ operator alerts

    private static OperatorAlert compensationFailed(String orderId) {
        return new OperatorAlert(OperatorAlert.COMPENSATION_FAILED, orderId, "order:" + orderId, "cust-1",
                "order " + orderId + " could not be undone (INSTALL_FAILED: boom); panel server order:" + orderId
                        + " may remain",
                List.of("PanelAccessDenied: This action is unauthorized."), "order:" + orderId, orderId + "-p1",
                false, true);
    }

    private static List<AuditRepository.AuditEntry> alertsFor(String orderId) {
        return audit.find(new AuditRepository.Query(null, OperatorAlert.COMPENSATION_FAILED, "order:" + orderId,
                null, null), 0, 10);
    }

    @Test
    void anOperatorAlertReachesTheOpsMailboxAndTheAuditLogOnceEach() throws Exception {
        OperatorAlert alert = compensationFailed("o20");
        notifications.alertOperators("o20:1:COMPENSATION_FAILED", alert);
        // A retried attempt (lost acknowledgement) neither writes nor sends again.
        notifications.alertOperators("o20:1:COMPENSATION_FAILED", alert);

        assertTrue(smtp.waitForIncomingEmail(5_000, 1));
        Thread.sleep(300);
        assertEquals(1, smtp.getReceivedMessages().length);
        MimeMessage message = smtp.getReceivedMessages()[0];
        assertEquals(OPS, message.getAllRecipients()[0].toString());
        assertEquals("[Admin-TK ALERT] COMPENSATION_FAILED order o20", message.getSubject());
        String body = GreenMailUtil.getBody(message);
        assertTrue(body.contains("order:o20 (MAY STILL EXIST: delete it)"), body);
        assertTrue(body.contains("PanelAccessDenied"), body);
        assertEquals("o20:1:COMPENSATION_FAILED", message.getHeader("X-AdminTK-Notification-Key")[0]);

        List<AuditRepository.AuditEntry> entries = alertsFor("o20");
        assertEquals(1, entries.size());
        AuditRepository.AuditEntry entry = entries.get(0);
        assertEquals(NotificationActivitiesImpl.SYSTEM_ACTOR, entry.actor());
        assertEquals("FAILURE", entry.result());
        assertEquals("order:o20", entry.workflowId());
        assertEquals(Boolean.FALSE, entry.details().get("serverDeleted"));
        assertEquals("o20:1:COMPENSATION_FAILED", entry.details().get("alertKey"));
    }

    @Test
    void withoutAnOpsAddressTheAlertIsAuditedOnly() {
        NotificationActivitiesImpl noOps = new NotificationActivitiesImpl(
                SmtpSettings.of("127.0.0.1", smtp.getSmtp().getPort(), "no-reply@admin-tk.local"),
                StoreWebhookSettings.of(null, SECRET), redis, new SentNotifications(redis), ObjectMapper.getDefault(),
                OpsAlertSettings.of(""), audit);
        noOps.alertOperators("o21:1:COMPENSATION_FAILED", compensationFailed("o21"));
        assertEquals(1, alertsFor("o21").size());
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void anOpsAlertWithMailDownIsAuditedThenFailsRetryably() {
        NotificationActivitiesImpl mailDown = new NotificationActivitiesImpl(
                SmtpSettings.of("127.0.0.1", FreePorts.next(), "no-reply@admin-tk.local"),
                StoreWebhookSettings.of(null, SECRET), redis, new SentNotifications(redis), ObjectMapper.getDefault(),
                OpsAlertSettings.of(OPS), audit);
        ApplicationFailure f = assertThrows(ApplicationFailure.class,
                () -> mailDown.alertOperators("o22:1:COMPENSATION_FAILED", compensationFailed("o22")));
        assertFalse(f.isNonRetryable());
        assertEquals(1, alertsFor("o22").size());
        // The retry, once mail is back, sends the email without a second audit entry.
        notifications.alertOperators("o22:1:COMPENSATION_FAILED", compensationFailed("o22"));
        assertTrue(smtp.waitForIncomingEmail(5_000, 1));
        assertEquals(1, alertsFor("o22").size());
    }

    // ------------------------------------------------------------------ store webhook

    @Test
    void theStoreReceivesASignedWebhookItCanVerify() throws Exception {
        notifications.notifyStore("order:o6:ACTIVE", active("o6", "demo@admin-tk.local"));
        assertEquals(1, storeDeliveries.size());
        Map<String, String> delivery = storeDeliveries.get(0);
        assertTrue(StoreWebhookSignature.verify(SECRET, delivery.get("signature"), delivery.get("body"), 300));
        assertFalse(StoreWebhookSignature.verify("other-secret", delivery.get("signature"), delivery.get("body"), 300));
        assertFalse(StoreWebhookSignature.verify(SECRET, delivery.get("signature"),
                delivery.get("body").replace("o6", "o7"), 300));
        assertEquals("order:o6:ACTIVE", delivery.get("delivery"));
        assertEquals("order.active", delivery.get("event"));
        OrderEvent event = ObjectMapper.getDefault().readValue(delivery.get("body"), OrderEvent.class);
        assertEquals("o6", event.orderId());
        assertEquals("ACTIVE", event.status());
        assertEquals("order:o6:ACTIVE", event.eventId());
        assertEquals("srv-1", event.serverId());
    }

    @Test
    void aStoreWebhookIsDeliveredOnceAcrossRetries() {
        notifications.notifyStore("order:o8:ACTIVE", active("o8", null));
        notifications.notifyStore("order:o8:ACTIVE", active("o8", null));
        assertEquals(1, storeDeliveries.size());
    }

    @Test
    void aStoreThatFailsIsRetriedAndAStoreThatRefusesIsNot() {
        storeStatus.set(503);
        ApplicationFailure down = assertThrows(ApplicationFailure.class,
                () -> notifications.notifyStore("order:o9:ACTIVE", active("o9", null)));
        assertFalse(down.isNonRetryable());
        storeStatus.set(200);
        notifications.notifyStore("order:o9:ACTIVE", active("o9", null));
        assertEquals(2, storeDeliveries.size(), "the retry went through");

        storeStatus.set(400);
        ApplicationFailure refused = assertThrows(ApplicationFailure.class,
                () -> notifications.notifyStore("order:o10:ACTIVE", active("o10", null)));
        assertTrue(refused.isNonRetryable());
    }

    @Test
    void noStoreUrlMeansTheStoreIsNotCalled() {
        impl(null).notifyStore("order:o11:ACTIVE", active("o11", null));
        assertTrue(storeDeliveries.isEmpty());
    }

    // ------------------------------------------------------------------ Redis fan-out

    @Test
    void subscribersOfTheOrderChannelReceiveTheEventOnce() throws Exception {
        BlockingQueue<String[]> received = new LinkedBlockingQueue<>();
        StatefulRedisPubSubConnection<String, String> subscriber = redisClient.connectPubSub();
        try {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(new String[] {channel, message});
                }
            });
            subscriber.sync().subscribe("orders:o12");
            notifications.publishOrderEvent("order:o12:ACTIVE", active("o12", null));
            notifications.publishOrderEvent("order:o12:ACTIVE", active("o12", null));
            String[] message = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(message);
            assertEquals("orders:o12", message[0]);
            OrderEvent event = ObjectMapper.getDefault().readValue(message[1], OrderEvent.class);
            assertEquals("order.active", event.type());
            assertEquals("order:o12:ACTIVE", event.eventId());
            assertEquals(null, received.poll(300, TimeUnit.MILLISECONDS), "the retry published nothing");
        } finally {
            subscriber.close();
        }
    }

    @Test
    void anOrderEventCarriesTheCustomersReadingNotTheRawCause() {
        OrderNotification refunded = new OrderNotification("o13", "cust-1", null, "Demo", "REFUNDED",
                "NoCapacity: panel answered 400: NoViableNodeException at http://panel.internal:8081", null,
                "My Minecraft", null, "plan-s");
        OrderEvent event = OrderEvent.of("order:o13:REFUNDED", refunded);
        assertEquals("NO_CAPACITY", event.reasonCode());
        assertFalse(event.reason().contains("http") || event.reason().contains("Exception"), event.reason());
    }
}
