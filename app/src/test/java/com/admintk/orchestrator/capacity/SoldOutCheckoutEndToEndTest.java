package com.admintk.orchestrator.capacity;

import com.admintk.orchestrator.identity.UserService;
import com.admintk.orchestrator.localstack.panel.PanelSimulator;
import com.admintk.orchestrator.localstack.panel.PanelSimulatorConfig;
import com.admintk.orchestrator.payment.WalletEntry;
import com.admintk.orchestrator.payment.Wallets;
import com.admintk.orchestrator.testing.Shop;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The measured case of issue 12 as a test: 300 concurrent TK-Coins checkouts of {@code paper-2g} against a panel
 * whose two nodes have room for 64 of them (65536 MiB each, 2048 per server). Capacity is reserved before the charge,
 * so exactly 64 orders end ACTIVE, the other 236 are answered 409 SOLD_OUT, nobody is charged and refunded, and the
 * ledger holds 64 debits.
 */
class SoldOutCheckoutEndToEndTest {

    private static final int CHECKOUTS = 300;
    private static final int ROOM = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PanelSimulator panel;
    private static Shop shop;

    @BeforeAll
    static void open() {
        // A panel of this test's own: no other test's servers take room on it.
        panel = new PanelSimulator(PanelSimulatorConfig.builder().port(0).installTime(Duration.ofMillis(500))
                .rateLimitPerMinute(100_000).clientRateLimitPerMinute(100_000).build()).start();
        shop = Shop.open(Map.of(
                "panel.url", panel.baseUrl(),
                "panel.rate-limit-per-minute", 100_000,
                "panel.rate-limit-burst", 5_000,
                "panel.rate-limit-key", "admintk:panel:rate:" + UUID.randomUUID(),
                "orchestrator.orders.install-poll-initial", "1s",
                "orchestrator.orders.install-poll-max", "1s",
                "orchestrator.orders.install-deadline", "5m"));
    }

    @AfterAll
    static void close() {
        shop.close();
        panel.close();
    }

    @Test
    void threeHundredConcurrentCheckoutsForRoomForSixtyFourSellExactlySixtyFourAndChargeNobodyTwice() throws Exception {
        String token = shop.login(Shop.DEMO);
        String customerId = shop.app().bean(UserService.class).findByEmail(Shop.DEMO).orElseThrow().id();
        Wallets wallets = shop.app().bean(Wallets.class);
        wallets.credit("capacity-test-" + UUID.randomUUID(), customerId, 500L * CHECKOUTS, "capacity test funds");
        long before = shop.balance(token);

        Map<String, Object> paperBefore = paper(token);
        assertEquals(Map.of("available", true, "servers", ROOM), subset(availability(paperBefore), "available", "servers"),
                String.valueOf(paperBefore));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < CHECKOUTS; i++) {
            String body = JSON.writeValueAsString(Map.of("planId", "paper-2g", "serverName", "Rush " + i,
                    "paymentMethod", "tkcoins"));
            answers.add(http.sendAsync(java.net.http.HttpRequest.newBuilder(URI.create(shop.app().url() + "/api/v1/orders"))
                    .timeout(Duration.ofMinutes(3))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "rush-" + i + "-" + UUID.randomUUID())
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<String> accepted = new ArrayList<>();
        List<Map<String, Object>> soldOut = new ArrayList<>();
        List<String> other = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get();
            Map<String, Object> body = readMap(response.body());
            if (response.statusCode() == 202) {
                accepted.add((String) body.get("orderId"));
            } else if (response.statusCode() == 409) {
                soldOut.add(error(body));
            } else {
                other.add(response.statusCode() + " " + response.body());
            }
        }
        assertEquals(List.of(), other, "only 202 and 409 answers");
        assertEquals(ROOM, accepted.size(), "accepted checkouts");
        assertEquals(CHECKOUTS - ROOM, soldOut.size(), "sold-out answers");
        for (Map<String, Object> refusal : soldOut) {
            assertEquals("SOLD_OUT", refusal.get("code"), String.valueOf(refusal));
            Map<?, ?> details = (Map<?, ?>) refusal.get("details");
            assertEquals("paper-2g", details.get("planId"), String.valueOf(refusal));
            assertEquals(List.of(1, 2), details.get("locationIds"), String.valueOf(refusal));
        }

        Map<String, Long> outcomes = new java.util.TreeMap<>();
        for (String orderId : accepted) {
            Map<String, Object> order = shop.awaitOrder(token, orderId, Shop::terminal, Duration.ofMinutes(5));
            outcomes.merge((String) order.get("status"), 1L, Long::sum);
        }
        assertEquals(Map.of("ACTIVE", (long) ROOM), outcomes, "every accepted order ends ACTIVE");
        assertEquals(ROOM, panel.state().servers().size(), "servers on the panel");
        Map<Integer, Long> perNode = panel.state().servers().stream()
                .collect(Collectors.groupingBy(s -> s.node(), Collectors.counting()));
        assertEquals(Map.of(1, 32L, 2, 32L), perNode, "no node holds more than its memory");

        List<WalletEntry> ledger = wallets.entries(customerId, 0, 1000).entries();
        long debits = ledger.stream().filter(e -> e.type() == WalletEntry.Type.DEBIT).count();
        long refunds = ledger.stream().filter(e -> e.type() != WalletEntry.Type.DEBIT && e.key().startsWith("refund:")
                || e.type() == WalletEntry.Type.VOID).count();
        assertEquals(ROOM, debits, "one debit per server");
        assertEquals(0, refunds, "no refunds");
        assertEquals(before - 500L * ROOM, shop.balance(token));

        Map<String, Object> paperAfter = paper(token);
        assertEquals(Map.of("available", false, "servers", 0), subset(availability(paperAfter), "available", "servers"),
                String.valueOf(paperAfter));
        HttpResponse<String> late = http.send(java.net.http.HttpRequest.newBuilder(URI.create(shop.app().url()
                        + "/api/v1/orders")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").header("Idempotency-Key", "late-" + UUID.randomUUID())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Shop.tkcoins("paper-2g")))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(409, late.statusCode(), late.body());

        String metrics = shop.app().http().retrieve(HttpRequest.GET("/prometheus"), String.class);
        assertTrue(metrics.contains("orders_sold_out_total{plan=\"paper-2g\"} " + (CHECKOUTS - ROOM + 1)),
                "sold-out counter: " + lines(metrics, "orders_sold_out"));
        assertTrue(metrics.contains("capacity_free_servers{node=\"fra-node-01\",plan=\"paper-2g\",region=\"default\"} 0.0"),
                lines(metrics, "capacity_free"));
        assertTrue(metrics.contains("capacity_reservations_held"), lines(metrics, "capacity_reservations"));
        System.out.println("Capacity rush: " + accepted.size() + " accepted and ACTIVE, " + soldOut.size()
                + " SOLD_OUT, " + debits + " debits, " + refunds + " refunds");
    }

    private static Map<String, Object> paper(String token) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> plans = shop.app().http().retrieve(HttpRequest.GET("/api/v1/plans").bearerAuth(token),
                io.micronaut.core.type.Argument.listOf(io.micronaut.core.type.Argument.mapOf(String.class, Object.class)));
        return plans.stream().filter(p -> "paper-2g".equals(p.get("id"))).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> availability(Map<String, Object> plan) {
        Map<String, Object> availability = (Map<String, Object>) plan.get("availability");
        assertTrue(availability != null, "availability shown: " + plan);
        List<Map<String, Object>> locations = (List<Map<String, Object>>) availability.get("locations");
        assertEquals(List.of(1, 2), locations.stream().map(l -> l.get("locationId")).toList(), String.valueOf(plan));
        long sum = locations.stream().mapToLong(l -> ((Number) l.get("servers")).longValue()).sum();
        assertEquals(((Number) availability.get("servers")).longValue(), sum, "locations add up: " + availability);
        assertFalse(((String) availability.get("asOf")).isBlank());
        return availability;
    }

    private static Map<String, Object> subset(Map<String, Object> map, String... keys) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (String key : keys) {
            Object value = map.get(key);
            out.put(key, value instanceof Number n ? (Object) n.intValue() : value);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readMap(String body) throws Exception {
        return JSON.readValue(body, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(Map<String, Object> body) {
        return (Map<String, Object>) body.get("error");
    }

    private static String lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.joining("\n"));
    }
}
