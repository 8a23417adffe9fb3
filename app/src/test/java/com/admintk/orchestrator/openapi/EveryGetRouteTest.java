package com.admintk.orchestrator.openapi;

import com.admintk.orchestrator.testing.Shop;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every GET of the served OpenAPI document, called on a seeded shop with a real order, as the customer who owns it
 * and as an admin: none may answer 5xx. The routes come from the document itself, so a new GET is called as soon as
 * it is documented (and {@link OpenApiDocumentTest} makes sure it is). A new path parameter must be given a real id
 * in {@link #realIds}, or this test says which one is missing.
 */
class EveryGetRouteTest {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private static Shop shop;
    private static String customer;
    private static String admin;
    private static Map<String, String> realIds;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void open() {
        // Every live route calls the panel, twice (customer, admin): more than the default burst of the panel
        // budget, whose refusal (503 PANEL_BUSY) is right in production and not what this test is about.
        shop = Shop.open(Map.of("panel.rate-limit-per-minute", 6000, "panel.rate-limit-burst", 200));
        customer = shop.login(Shop.DEMO);
        admin = shop.login(Shop.ADMIN);
        HttpResponse<Map<String, Object>> accepted = shop.checkout(customer, "get-routes-" + UUID.randomUUID(), Shop.tkcoins("paper-2g"));
        assertEquals(202, accepted.code(), () -> String.valueOf(accepted.getBody().orElse(null)));
        String orderId = (String) accepted.getBody().orElseThrow().get("orderId");
        Map<String, Object> order = shop.awaitOrder(customer, orderId, Shop::terminal, Duration.ofSeconds(90));
        assertEquals("ACTIVE", order.get("status"), () -> String.valueOf(order));
        String customerId = (String) shop.app().exchange(HttpRequest.GET("/api/v1/auth/me").bearerAuth(customer))
                .getBody().orElseThrow().get("id");
        HttpResponse<Map<String, Object>> topUp = shop.app().exchange(HttpRequest.POST("/api/v1/wallet/top-ups",
                Map.of("coins", 500)).bearerAuth(customer).header("Idempotency-Key", "get-routes-" + UUID.randomUUID()));
        assertEquals(202, topUp.code(), () -> String.valueOf(topUp.getBody().orElse(null)));
        realIds = new LinkedHashMap<>();
        realIds.put("orderId", orderId);
        realIds.put("serverId", (String) order.get("serverId"));
        realIds.put("customerId", customerId);
        realIds.put("userId", customerId);
        realIds.put("id", customerId);
        realIds.put("topUpId", (String) topUp.getBody().orElseThrow().get("topUpId"));
    }

    @AfterAll
    static void close() {
        shop.close();
    }

    /** GETs that name what they read in the query (live server files): called with a file every Paper server has. */
    static final Map<String, String> QUERIES = Map.of(
            "/api/v1/servers/{serverId}/files/contents", "?file=%2Feula.txt",
            "/api/v1/servers/{serverId}/files/download-url", "?file=%2Feula.txt");

    /** GETs that follow a link from an email: without its token they answer 400, to admins too (never 5xx). */
    static final java.util.Set<String> TOKEN_LINKS = java.util.Set.of("/api/v1/auth/verify");

    @Test
    @SuppressWarnings("unchecked")
    void noDocumentedGetAnswers5xxToACustomerOrAnAdmin() {
        HttpResponse<String> served = shop.app().http().exchange(HttpRequest.GET("/swagger/admintk-orchestrator.yml"), String.class);
        Map<String, Object> document = new Yaml().load(served.body());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");

        List<String> called = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            if (!path.getValue().containsKey("get")) {
                continue;
            }
            String uri = expand(path.getKey(), failures);
            if (uri == null) {
                continue;
            }
            uri += QUERIES.getOrDefault(path.getKey(), "");
            for (Map.Entry<String, String> caller : Map.of("customer", customer, "admin", admin).entrySet()) {
                HttpResponse<String> response = get(uri, caller.getValue());
                String body = response.getBody(String.class).orElse("");
                called.add(caller.getKey() + " GET " + uri + " -> " + response.code());
                if (response.code() >= 500) {
                    failures.add(caller.getKey() + " GET " + uri + ": " + response.code() + " " + body);
                }
                if (caller.getKey().equals("admin") && response.code() != 200 && !TOKEN_LINKS.contains(path.getKey())) {
                    failures.add("an admin reads everything, but GET " + uri + " answered " + response.code() + " " + body);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures) + "\ncalled:\n" + String.join("\n", called));
        assertTrue(called.stream().anyMatch(c -> c.contains("/api/v1/orders/" + realIds.get("orderId"))),
                "a route with a path parameter was called with a real id: " + called);
        assertTrue(called.stream().anyMatch(c -> c.startsWith("admin GET /api/v1/admin/")), "admin routes were called: " + called);
        assertTrue(called.stream().anyMatch(c -> c.equals("customer GET /api/v1/plans -> 200")), "plans are listed: " + called);
    }

    @SuppressWarnings("unchecked")
    private static HttpResponse<String> get(String uri, String token) {
        try {
            return shop.app().http().exchange(HttpRequest.GET(uri).bearerAuth(token), String.class);
        } catch (HttpClientResponseException e) {
            return (HttpResponse<String>) e.getResponse();
        }
    }

    /** The path with each parameter replaced by a real id, or null (and a failure) when none is known. */
    private static String expand(String template, List<String> failures) {
        Matcher m = PATH_PARAMETER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String id = realIds.get(m.group(1));
            if (id == null) {
                failures.add("GET " + template + ": no real id for path parameter '" + m.group(1) + "'; add one to realIds");
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(id));
        }
        m.appendTail(out);
        return out.toString();
    }
}
