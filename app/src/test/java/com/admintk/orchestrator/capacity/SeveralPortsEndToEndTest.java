package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.order.OrderIds;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.payment.Wallets;
import com.admintk.orchestrator.testing.Shop;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 4 of issue 12: the seeded Rust plan takes four allocations, and its server's {@code QUERY_PORT},
 * {@code RCON_PORT} and {@code APP_PORT} are the ports of its additional allocations as the panel reports them. An
 * order whose install fails gives its allocations and its reservation back.
 */
class SeveralPortsEndToEndTest {

    private static final String RUST = "rust-standard";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PanelSimulator panel;
    private static Shop shop;

    @BeforeAll
    static void open() {
        // A panel of this test's own, so the ports counted are this test's alone.
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofMillis(300))
                .rateLimitPerMinute(100_000).clientRateLimitPerMinute(100_000).build()).start();
        shop = Shop.open(Map.of(
                "panel.url", panel.baseUrl(),
                "panel.rate-limit-per-minute", 100_000,
                "panel.rate-limit-burst", 5_000,
                "panel.rate-limit-key", "admintk:panel:rate:" + UUID.randomUUID(),
                "orchestrator.capacity.cache-ttl", "200ms",
                // A placed server's reservation lingers ~1.4 s here, so the undone order's hold is the only one left.
                "orchestrator.capacity.placed-linger", "1s",
                "orchestrator.orders.install-poll-initial", "1s",
                "orchestrator.orders.install-poll-max", "1s"));
        String customerId = shop.app().bean(UserService.class).findByEmail(Shop.DEMO).orElseThrow().id();
        shop.app().bean(Wallets.class).credit("ports-test-" + UUID.randomUUID(), customerId, 10_000,
                "several-ports test funds");
    }

    @AfterAll
    static void close() {
        shop.close();
        panel.close();
    }

    @Test
    void aRustServerGetsFourAllocationsAndItsPortVariablesAreItsAdditionalAllocationsPorts() throws Exception {
        String token = shop.login(Shop.DEMO);
        long roomBefore = rustRoom(token);

        String orderId = checkout(token);
        Map<String, Object> done = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofMinutes(2));
        assertEquals("ACTIVE", done.get("status"), String.valueOf(done));

        String externalId = OrderIds.externalId(orderId);
        JsonNode server = panelServer(panel.state().servers().stream().filter(s -> externalId.equals(s.externalId()))
                .findFirst().orElseThrow().id());
        JsonNode attributes = server.path("attributes");
        int defaultAllocation = attributes.path("allocation").asInt();
        List<Integer> additionalPorts = new ArrayList<>();
        Set<Integer> allocations = new HashSet<>();
        for (JsonNode allocation : attributes.path("relationships").path("allocations").path("data")) {
            JsonNode a = allocation.path("attributes");
            allocations.add(a.path("id").asInt());
            assertTrue(a.path("port").asInt() >= 28015 && a.path("port").asInt() <= 28054, a.toString());
            if (a.path("id").asInt() != defaultAllocation) {
                additionalPorts.add(a.path("port").asInt());
            }
        }
        assertEquals(4, allocations.size(), "the default and three additional allocations: " + server);
        JsonNode env = attributes.path("container").path("environment");
        List<Integer> variablePorts = List.of(env.path("QUERY_PORT").asInt(), env.path("RCON_PORT").asInt(),
                env.path("APP_PORT").asInt());
        // The panel lists additional allocations in the order they were assigned, which is the plan's mapping order.
        assertEquals(additionalPorts, variablePorts, "QUERY_PORT, RCON_PORT, APP_PORT: " + env);
        assertEquals(roomBefore - 1, awaitRustRoom(token, roomBefore - 1), "four ports fewer is one Rust server fewer");
    }

    @Test
    void aFailedInstallDeletesTheServerAndItsAllocationsAndTheReservationComeBack() throws Exception {
        String token = shop.login(Shop.DEMO);
        long roomBefore = rustRoom(token);
        int serversBefore = panel.state().servers().size();
        panel.faults().failNextInstalls(1);

        String orderId = checkout(token);
        Map<String, Object> done = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofMinutes(2));

        assertEquals("REFUNDED", done.get("status"), String.valueOf(done));
        assertEquals(serversBefore, panel.state().servers().size(), "the failed server is deleted");
        Capacity capacity = shop.app().bean(Capacity.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (capacity.reservationsHeld() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(0, capacity.reservationsHeld(), "no reservation is left held");
        assertEquals(roomBefore, awaitRustRoom(token, roomBefore), "its four allocations are free again");
    }

    private static String checkout(String token) {
        HttpResponse<Map<String, Object>> accepted = shop.checkout(token, "ports-" + UUID.randomUUID(),
                Shop.tkcoins(RUST));
        assertEquals(202, accepted.code(), String.valueOf(accepted.getBody().orElse(null)));
        return (String) accepted.getBody().orElseThrow().get("orderId");
    }

    /** The server as the panel's application API reports it, with its allocations. */
    private static JsonNode panelServer(int id) throws Exception {
        java.net.http.HttpResponse<String> answer = HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(URI.create(panel.baseUrl() + "/api/application/servers/" + id + "?include=allocations"))
                .header("Authorization", "Bearer " + panel.configuration().applicationKey())
                .header("Accept", "application/json").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    @SuppressWarnings("unchecked")
    private static long rustRoom(String token) {
        List<Map<String, Object>> plans = shop.app().http().retrieve(HttpRequest.GET("/api/v1/plans").bearerAuth(token),
                Argument.listOf(Argument.mapOf(String.class, Object.class)));
        Map<String, Object> rust = plans.stream().filter(p -> RUST.equals(p.get("id"))).findFirst().orElseThrow();
        assertEquals(Map.of("count", 4, "variables", Map.of("QUERY_PORT", 1, "RCON_PORT", 2, "APP_PORT", 3)),
                rust.get("ports"), String.valueOf(rust));
        Map<String, Object> availability = (Map<String, Object>) rust.get("availability");
        assertTrue(availability != null, String.valueOf(rust));
        return ((Number) availability.get("servers")).longValue();
    }

    /** The plans' availability is cached briefly: wait until it shows {@code expected}, or answer what it shows. */
    private static long awaitRustRoom(String token, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long room;
        while ((room = rustRoom(token)) != expected && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        return room;
    }
}
