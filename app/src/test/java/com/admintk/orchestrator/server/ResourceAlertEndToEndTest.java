package com.admintk.orchestrator.server;

import com.admintk.orchestrator.identity.UserRepository;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.store.Database;
import com.admintk.orchestrator.testing.Shop;
import com.admintk.orchestrator.testing.TestStack;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micronaut.http.HttpRequest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.admintk.orchestrator.server.ClusterStatsPollerTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server that stays above its plan's CPU alert level: one alert event to its subscribers, one email to the customer,
 * the metric raised; back below: cleared. The app in role dev (demo customer and plans), on its own panel simulator.
 */
class ResourceAlertEndToEndTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Duration ALERT_AFTER = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PanelSimulator panel;
    private static Shop shop;
    private static RedisClient redisClient;
    private static StatefulRedisPubSubConnection<String, String> subscriber;
    private static final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void open() {
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).build()).start();
        shop = Shop.open(Map.of("panel.url", panel.baseUrl(),
                "panel.rate-limit-key", "admintk:panel:rate:alerts-" + UUID.randomUUID(),
                "orchestrator.live.stats.enabled", true,
                "orchestrator.live.stats.interval", INTERVAL.toMillis() + "ms",
                "orchestrator.live.stats.leader-lease", "4s",
                "orchestrator.live.stats.cpu-alert-percent", 80,
                "orchestrator.live.stats.alert-after", ALERT_AFTER.toMillis() + "ms"));
        redisClient = RedisClient.create(TestStack.get().redisUri());
        subscriber = redisClient.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                events.add(message);
            }
        });
    }

    @AfterAll
    static void close() {
        if (subscriber != null) {
            subscriber.close();
            redisClient.shutdown();
        }
        if (shop != null) {
            shop.close();
        }
        if (panel != null) {
            panel.close();
        }
    }

    @Test
    void aServerAboveItsCpuLevelRaisesOneAlertPerEpisodeAndClearsBelowIt() throws Exception {
        String customerId = shop.app().bean(UserRepository.class).findByEmail(Shop.DEMO).orElseThrow().id();
        String serverId = "srv-hot-" + UUID.randomUUID();
        int panelId = SimControl.plant(panel, shop.app().bean(Database.class).collection("servers"), serverId,
                customerId, "paper-2g");
        subscriber.sync().subscribe(LiveStats.eventsChannel(serverId));
        await(() -> shop.app().bean(ServerStatsPoller.class).leading(), Duration.ofSeconds(10), "the poller leads");
        int mailsBefore = shop.mail().getReceivedMessages().length;

        // paper-2g allows 200% CPU: 190% is 95% of it, above the 80% level
        SimControl.forceCpu(panel, panelId, 190.0);
        await(() -> events.stream().anyMatch(e -> e.contains("\"RAISED\"")), ALERT_AFTER.plus(INTERVAL.multipliedBy(6)),
                "an alert event on live:events:" + serverId);
        JsonNode raised = JSON.readTree(events.get(0));
        assertEquals("alert", raised.get("type").asText());
        assertEquals("RAISED", raised.get("status").asText());
        assertEquals(serverId, raised.get("serverId").asText());
        assertEquals("cpu", raised.get("resource").asText());
        assertEquals(95.0, raised.get("percent").asDouble(), 0.01);
        assertEquals(80, raised.get("thresholdPercent").asInt());
        assertTrue(raised.get("atMillis").asLong() - raised.get("sinceMillis").asLong() >= ALERT_AFTER.toMillis(),
                "raised only after the server stayed above for alert-after: " + raised);

        assertTrue(shop.mail().waitForIncomingEmail(30_000, mailsBefore + 1), "the customer is emailed");
        MimeMessage mail = shop.mail().getReceivedMessages()[mailsBefore];
        assertEquals(Shop.DEMO, mail.getAllRecipients()[0].toString());
        assertTrue(mail.getSubject().contains("running at its limits"), mail.getSubject());
        assertTrue(String.valueOf(mail.getContent()).contains("CPU at 95% of the plan's limit"),
                String.valueOf(mail.getContent()));
        assertTrue(metrics().contains("server_resource_alerts_total{resource=\"cpu\"} 1.0"), "counted once");
        assertTrue(metrics().contains("server_resource_alerts_active{resource=\"cpu\"} 1.0"), "one server over");

        // the episode goes on: no second alert, no second email
        Thread.sleep(INTERVAL.toMillis() * 4);
        assertEquals(1, events.size(), String.valueOf(events));
        assertEquals(mailsBefore + 1, shop.mail().getReceivedMessages().length, "one email per episode");
        assertTrue(metrics().contains("server_resource_alerts_total{resource=\"cpu\"} 1.0"), "still counted once");

        // back below the level: cleared
        SimControl.forceCpu(panel, panelId, null);
        await(() -> events.stream().anyMatch(e -> e.contains("\"CLEARED\"")), INTERVAL.multipliedBy(6),
                "the alert is cleared");
        JsonNode cleared = JSON.readTree(events.get(1));
        assertEquals("alert", cleared.get("type").asText());
        assertEquals(raised.get("sinceMillis").asLong(), cleared.get("sinceMillis").asLong(), "the same episode");
        await(() -> metrics().contains("server_resource_alerts_active{resource=\"cpu\"} 0.0"), INTERVAL.multipliedBy(4),
                "no server over its level");
        assertEquals(2, events.size(), String.valueOf(events));
        assertEquals(mailsBefore + 1, shop.mail().getReceivedMessages().length, "no email for the clear");
        String cpuRatio = "server_cpu_ratio{server_id=\"" + serverId + "\"}";
        assertTrue(metrics().contains(cpuRatio), "the server's gauge, from the leader");
    }

    private static String metrics() {
        return shop.app().http().retrieve(HttpRequest.GET("/prometheus"), String.class);
    }
}
