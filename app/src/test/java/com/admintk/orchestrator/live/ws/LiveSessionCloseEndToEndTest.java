package com.admintk.orchestrator.live.ws;

import com.admintk.orchestrator.server.ServerFixtures;
import com.admintk.orchestrator.testing.Shop;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 11: "suspension or termination closes that server's sockets, with a reason". The sockets' periodic re-check
 * is set to ten minutes here, so a socket closed within seconds of the admin's action was closed by the suspend or
 * terminate workflow's publish on {@code live:close}, not by the re-check.
 */
class LiveSessionCloseEndToEndTest {

    private static final Duration RECHECK = Duration.ofMinutes(10);
    /** Far below the re-check: the workflow's close, not the socket's own check. */
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(10);

    private static Shop shop;
    private static String admin;
    private static String demo;

    @BeforeAll
    static void open() {
        shop = Shop.open(Map.of(
                "orchestrator.live.socket.recheck-interval", RECHECK.toMillis() + "ms",
                "orchestrator.metrics.server-usage.max-servers", 0,
                "micronaut.http.client.read-timeout", "45s"));
        admin = shop.login(Shop.ADMIN);
        demo = shop.login(Shop.DEMO);
    }

    @AfterAll
    static void close() {
        if (shop == null) {
            return;
        }
        try {
            ServerFixtures.endLifecycles(shop);
        } finally {
            shop.close();
        }
    }

    @Test
    void anAdminSuspensionClosesTheOwnersSocketWithItsReasonWithinSeconds() {
        String serverId = activeServer();
        try (LiveClient client = watching(serverId)) {
            adminAction(serverId, "suspend", "abuse report");
            assertClosedWith(client, serverId, "SERVER_SUSPENDED");
        }
        ServerFixtures.awaitServer(shop, admin, serverId, Duration.ofSeconds(30),
                view -> "SUSPENDED".equals(view.get("status")));
    }

    @Test
    void anAdminTerminationClosesTheOwnersSocketWithItsReasonWithinSeconds() {
        String serverId = activeServer();
        try (LiveClient client = watching(serverId)) {
            adminAction(serverId, "terminate", "customer asked");
            assertClosedWith(client, serverId, "SERVER_TERMINATED");
        }
    }

    private static String activeServer() {
        Map<String, Object> order = ServerFixtures.deliveredOrder(shop, demo, Shop.tkcoins("paper-2g"));
        String serverId = (String) order.get("serverId");
        ServerFixtures.awaitServer(shop, admin, serverId, Duration.ofSeconds(30), ServerFixtures::fromLifecycle);
        return serverId;
    }

    private static LiveClient watching(String serverId) {
        LiveClient client = LiveClient.authenticated(shop.app().url(), demo);
        client.send(Map.of("type", "subscribe", "id", "watch", "server", serverId));
        client.await(LiveClient.type("snapshot"), Duration.ofSeconds(10), "snapshot");
        return client;
    }

    private static void adminAction(String serverId, String action, String reason) {
        HttpResponse<Map<String, Object>> accepted = shop.app().exchange(ServerFixtures.action(HttpRequest.POST(
                "/api/v1/admin/servers/" + serverId + "/" + action, Map.of("reason", reason)), admin,
                action + "-" + serverId));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
    }

    private static void assertClosedWith(LiveClient client, String serverId, String reason) {
        JsonNode ended = client.await(LiveClient.type("ended"), CLOSED_WITHIN, "ended");
        assertEquals(serverId, ended.path("server").asText());
        assertEquals(reason, ended.path("reason").asText());
        assertEquals(new LiveClient.Closed(LiveProtocol.SERVER_GONE, reason), client.awaitClose(Duration.ofSeconds(5)));
        assertEquals(4410, LiveProtocol.SERVER_GONE, "the documented close code");
    }
}
