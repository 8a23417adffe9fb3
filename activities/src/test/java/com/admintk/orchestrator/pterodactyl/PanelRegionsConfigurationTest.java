package com.admintk.orchestrator.pterodactyl;

import com.admintk.orchestrator.localstack.EmbeddedRedis;
import com.admintk.orchestrator.security.SecretCipher;
import io.micronaut.context.ApplicationContext;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code panel.*} stays the default region and {@code panels.<region>.*} adds others, each with its own client, keys
 * (plaintext or encrypted with the secrets' key ring), locations and rate-limit bucket; a server's calls go to its
 * region's panel only.
 */
class PanelRegionsConfigurationTest {

    private static final String KEYS = "t1:dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTMyLWJ5dGU=";

    private static Map<String, Object> twoPanels(FakePanel a, FakePanel b, String redisUri) {
        SecretCipher cipher = new SecretCipher(KEYS, "t1");
        Map<String, Object> properties = new HashMap<>();
        properties.put("panel.url", a.url());
        properties.put("panel.application-key", FakePanel.APP_KEY);
        properties.put("panel.client-key", FakePanel.CLIENT_KEY);
        properties.put("panel.region", "east");
        properties.put("panels.west.url", b.url());
        // keys encrypted at rest: the configuration holds only ciphertext
        properties.put("panels.west.application-key", cipher.encrypt(FakePanel.APP_KEY));
        properties.put("panels.west.client-key", cipher.encrypt(FakePanel.CLIENT_KEY));
        properties.put("panels.west.locations", "3,4"); // as the local stack passes it, -Dpanels.west.locations=1,2
        properties.put("panels.west.rate-limit-per-minute", 30);
        properties.put("orchestrator.security.encryption.keys", KEYS);
        properties.put("orchestrator.security.encryption.active-key", "t1");
        properties.put("redis.uri", redisUri);
        return properties;
    }

    @Test
    void eachRegionGetsItsOwnPanelKeysLocationsAndBucket() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.forTests();
             FakePanel a = new FakePanel();
             FakePanel b = new FakePanel();
             ApplicationContext context = ApplicationContext.run(twoPanels(a, b, redis.uri()))) {
            PanelRegions regions = context.getBean(PanelRegions.class);

            assertEquals(List.of("east", "west"), List.copyOf(regions.names()));
            assertEquals("east", regions.defaultRegion());
            assertEquals("east", regions.nameOf(null));
            PanelConfiguration west = regions.client("west").configuration();
            assertEquals(b.url(), west.url());
            assertEquals(FakePanel.APP_KEY, west.applicationKey(), "decrypted from enc:v1:");
            assertEquals(FakePanel.CLIENT_KEY, west.clientKey());
            assertEquals(30, west.rateLimitPerMinute());
            assertEquals("admintk:panel:rate:west", west.rateLimitKey());
            assertNotEquals(regions.client("east").configuration().rateLimitKey(), west.rateLimitKey());
            assertEquals(List.of(3, 4), regions.region("west").locations());
            assertEquals(List.of(1), regions.locationsFor("east", List.of(1)), "default region: the plan's own");
            assertEquals(List.of(3, 4), regions.locationsFor("west", List.of(1)));
            assertTrue(regions.client(null) == context.getBean(PanelClient.class));
            assertThrows(PanelRegions.UnknownRegion.class, () -> regions.client("north"));

            int onB = b.addServer("order:west-1").path("id").asInt();
            PterodactylActivities activities = context.getBean(PterodactylActivitiesImpl.class);
            assertEquals("order:west-1", activities.getServer(onB, "west").externalId());
            assertEquals(null, activities.findServerByExternalId("order:west-1", "east"));
            assertEquals(null, activities.findServerByExternalId("order:west-1", null));
            assertTrue(activities.deleteServer("order:west-1", "west"));
            assertFalse(activities.deleteServer("order:west-1", "west"));

            ApplicationFailure unknown = assertThrows(ApplicationFailure.class,
                    () -> activities.getServer(onB, "north"));
            assertEquals(PanelFailures.UNAVAILABLE, unknown.getType(), "an operator can configure it again");
        }
    }

    @Test
    void aRegionWithoutLocationsOrSharingTheDefaultBucketStopsStartup() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.forTests();
             FakePanel a = new FakePanel();
             FakePanel b = new FakePanel()) {
            Map<String, Object> noLocations = twoPanels(a, b, redis.uri());
            noLocations.remove("panels.west.locations");
            assertThrows(RuntimeException.class, () -> {
                try (ApplicationContext context = ApplicationContext.run(noLocations)) {
                    context.getBean(PanelRegions.class);
                }
            });

            Map<String, Object> sharedBucket = twoPanels(a, b, redis.uri());
            sharedBucket.put("panels.west.rate-limit-key", "admintk:panel:rate");
            RuntimeException shared = assertThrows(RuntimeException.class, () -> {
                try (ApplicationContext context = ApplicationContext.run(sharedBucket)) {
                    context.getBean(PanelRegions.class);
                }
            });
            assertTrue(messages(shared).contains("rate-limit-key"), messages(shared));

            Map<String, Object> badName = twoPanels(a, b, redis.uri());
            badName.put("panel.region", "East Coast");
            RuntimeException named = assertThrows(RuntimeException.class, () -> {
                try (ApplicationContext context = ApplicationContext.run(badName)) {
                    context.getBean(PanelRegions.class);
                }
            });
            assertTrue(messages(named).contains("East Coast"), messages(named));
        }
    }

    @Test
    void withoutPanelsTheDefaultPanelIsTheOnlyRegion() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.forTests();
             FakePanel a = new FakePanel();
             ApplicationContext context = ApplicationContext.run(Map.of(
                     "panel.url", a.url(), "panel.application-key", FakePanel.APP_KEY, "redis.uri", redis.uri()))) {
            PanelRegions regions = context.getBean(PanelRegions.class);
            assertEquals(List.of(PanelRegions.DEFAULT), List.copyOf(regions.names()));
            assertTrue(regions.known(null));
            assertFalse(regions.known("west"));
        }
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" | ");
        }
        return all.toString();
    }
}
