package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.EmbeddedRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activities come out of a Micronaut context configured by {@code panel.*} and {@code redis.uri} alone. */
class PanelBeansTest {

    @Test
    void panelPropertiesAndRedisWireTheActivities() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.forTests();
             FakePanel panel = new FakePanel();
             ApplicationContext context = ApplicationContext.run(Map.of(
                     "panel.url", panel.url(),
                     "panel.application-key", FakePanel.APP_KEY,
                     "panel.client-key", FakePanel.CLIENT_KEY,
                     "panel.rate-limit-per-minute", 120,
                     "redis.uri", redis.uri()))) {
            PanelConfiguration config = context.getBean(PanelConfiguration.class);
            assertEquals(120, config.rateLimitPerMinute());
            assertEquals(Duration.ofSeconds(45), config.readTimeout());
            assertEquals(10, config.rateLimitBurst());

            int id = panel.addServer("order:ctx").path("id").asInt();
            PterodactylActivities activities = context.getBean(PterodactylActivitiesImpl.class);
            assertEquals("order:ctx", activities.getServer(id, null).externalId());
            assertTrue(activities.deleteServer("order:ctx", null));
            assertFalse(activities.deleteServer("order:ctx", null));

            if (context.containsBean(MeterRegistry.class)) {
                assertTrue(context.getBean(MeterRegistry.class).find("panel.requests").timers().size() > 0);
            }
        }
    }
}
