package com.admintk.orchestrator.payment;

import com.admintk.orchestrator.localstack.EmbeddedRedis;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.admintk.orchestrator.notification.NotificationActivitiesImpl;
import com.admintk.orchestrator.notification.SmtpSettings;
import com.admintk.orchestrator.notification.StoreWebhookSettings;
import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The beans the app's workers register come up from configuration alone, defaults filling what yml leaves out. */
class PaymentBeansTest {

    @Test
    void paymentAndNotificationActivitiesComeUpFromConfiguration() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.forTests();
             MongoForTests mongo = new MongoForTests();
             ApplicationContext context = ApplicationContext.run(Map.of(
                     "mongodb.uri", mongo.uri(),
                     "redis.uri", redis.uri(),
                     "payments.stripe.api-base", "http://127.0.0.1:1"))) {
            context.getBean(PaymentActivitiesImpl.class);
            context.getBean(NotificationActivitiesImpl.class);
            Wallets wallets = context.getBean(Wallets.class);
            assertEquals(10_000, wallets.ensureWallet("bean-check", 10_000));
            assertEquals(10_000, mongo.database().getCollection(Wallets.WALLETS).find().first().getLong("balance"));

            StripeSettings stripe = context.getBean(StripeSettings.class);
            assertEquals("http://127.0.0.1:1", stripe.apiBase());
            assertEquals(300, stripe.webhookToleranceSeconds());
            SmtpSettings smtp = context.getBean(SmtpSettings.class);
            assertEquals(2525, smtp.port());
            assertNull(context.getBean(StoreWebhookSettings.class).url());
        }
    }
}
